// A storefront SPA's round trips with plain fetch: sign in, show the shopper's account and
// prices, fill a cart and ask what checkout would decide before the buyer commits.
//
//   node examples/storefront.mjs http://127.0.0.1:8000/graphql mary tradepost-demo

const [url = "http://127.0.0.1:8000/graphql", username = "mary", password = "tradepost-demo"] =
  process.argv.slice(2);

async function graphql(query, variables = {}, token = null) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

function refused(payload, what) {
  if (payload.errors.length) throw new Error(`${what}: ${JSON.stringify(payload.errors)}`);
}

const { login } = await graphql(
  `mutation Login($input: LoginInput!) { login(input: $input) { token errors { code message } } }`,
  { input: { username, password } },
);
refused(login, "login");
const token = login.token;

const page = await graphql(
  `query Page {
     viewer {
       contact { name }
       activeAccount { code companyName priceLevel paymentTypes }
     }
     products(first: 3, filter: { search: "PIPE" }) { nodes { id sku name price } }
   }`,
  {},
  token,
);

const { createCart } = await graphql(
  `mutation Create($input: CreateCartInput!) {
     createCart(input: $input) { cart { id name } errors { field code message } }
   }`,
  { input: { name: "Storefront example" } },
  token,
);
refused(createCart, "createCart");

const product = page.products.nodes[0];
const { addCartLines } = await graphql(
  `mutation Add($input: AddCartLinesInput!) {
     addCartLines(input: $input) {
       cart {
         total
         lines { sku quantity unitPrice lineTotal }
         checkoutPreview { outcome subtotal surcharge total warnings { code message } }
       }
       errors { field code message }
     }
   }`,
  { input: { cartId: createCart.cart.id, lines: [{ productId: product.id, quantity: 3 }] } },
  token,
);
refused(addCartLines, "addCartLines");

console.log(JSON.stringify({ viewer: page.viewer, products: page.products.nodes, cart: addCartLines.cart }, null, 2));
