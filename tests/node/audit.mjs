// The GraphQL-over-HTTP conformance audit of graphql-http against a running server.
// Usage: node audit.mjs http://127.0.0.1:8105/graphql  → prints the results as JSON.
import { auditServer } from "graphql-http";

const results = await auditServer({ url: process.argv[2] });
console.log(
  JSON.stringify(
    results.map((result) => ({
      id: result.id,
      name: result.name,
      status: result.status,
      reason: result.status === "ok" ? undefined : result.reason,
    })),
  ),
);
