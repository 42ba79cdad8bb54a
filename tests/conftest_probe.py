from tests.graphql_client import GraphQLClient

orig = GraphQLClient.raw


async def raw(self, query, variables=None, **kw):
    try:
        return await orig(self, query, variables, **kw)
    except BaseException as e:
        print("\n### QUERY", type(e).__name__, query, flush=True)
        raise


GraphQLClient.raw = raw
