// Drives GraphiQL in headless Chromium: types a query, runs it and prints the response pane.
// Usage: node graphiql.mjs http://127.0.0.1:8105/graphql '{ __typename }' ['{"Authorization": …}']
// (the optional headers go in GraphiQL's Headers tab, through the page's `headers` parameter).
import { chromium } from "playwright-core";

const [graphiql, query, headers] = process.argv.slice(2);
const url = headers ? `${graphiql}?headers=${encodeURIComponent(headers)}` : graphiql;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
try {
  const page = await browser.newPage();
  const failed = [];
  page.on("requestfailed", (request) => failed.push(request.url()));
  await page.goto(url, { waitUntil: "networkidle" });
  const editor = ".graphiql-query-editor .CodeMirror";
  await page.waitForSelector(editor, { timeout: 15000 }).catch((error) => {
    throw new Error(`GraphiQL did not load (failed requests: ${failed.join(", ")}): ${error}`);
  });
  await page.evaluate(
    ([selector, text]) => document.querySelector(selector).CodeMirror.setValue(text),
    [editor, query],
  );
  // GraphiQL parses the editor's text after a pause (a subscription's document tells it to
  // use the websocket): run it once that has happened.
  await page.waitForTimeout(1000);
  await page.click(".graphiql-execute-button");
  const response = ".graphiql-response .CodeMirror";
  await page.waitForFunction(
    (selector) => document.querySelector(selector)?.CodeMirror.getValue().trim().length > 0,
    response,
    { timeout: 15000 },
  );
  console.log(
    await page.evaluate((selector) => document.querySelector(selector).CodeMirror.getValue(), response),
  );
} finally {
  await browser.close();
}
