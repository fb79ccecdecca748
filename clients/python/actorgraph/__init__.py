"""actorgraph: a small client for the actorgraph GraphQL API.

    from actorgraph import Client
    c = Client("http://127.0.0.1:8080")
    df = c.relations_frame(filter={"from": "Russia", "types": ["ACCUSES"]})
    g = c.graph(actor="russia", depth=2)

Columns use the JSON export's names (id, type, from, to, attribution,
claimedBy, status, cameo, ...); codes stay strings ("016" is CAMEO deny, not
16), dates are datetimes, evidence is a column of lists.
"""

from .client import Client, GraphQLError, read_node_link

__all__ = ["Client", "GraphQLError", "read_node_link"]
