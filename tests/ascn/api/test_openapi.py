"""Every ASCN operation is documented: a summary, a description and its error responses."""


def test_every_ascn_operation_has_a_summary_description_and_errors(client):
    spec = client.get("/api/v1/openapi.json").json()
    missing = []
    for path, ops in spec["paths"].items():
        if not path.startswith("/api/v1/ascn"):
            continue
        for method, op in ops.items():
            if not op.get("summary") or not op.get("description"):
                missing.append(f"{method} {path}")
            if method in ("post", "patch", "delete") and not any(
                code.startswith("4") for code in op.get("responses", {})
            ):
                missing.append(f"{method} {path}: no documented errors")
    assert not missing, missing
