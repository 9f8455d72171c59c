"""Local aids for Amiens Métropole, the Somme and Hauts-de-France: shown with what is
known, unknown amounts said to be unknown with whom to ask."""


def local(result):
    return {a["aid"]: a for a in result["aids"] if a["aid"].startswith("local:")}


def test_amiens_gets_the_three_scopes_without_invented_amounts(aids):
    found = local(aids(reference_income=20000))
    assert set(found) == {"local:amiens_metropole", "local:somme", "local:somme_rehabilitation",
                          "local:hauts_de_france"}
    for item in found.values():
        assert item["amount_eur"] is None
        assert item["contact"] and item["source"].startswith("https://")
        assert any("Qui contacter" in r for r in item["reasons"])
    assert "LAURE" in found["local:amiens_metropole"]["contact"]
    assert found["local:hauts_de_france"]["max_amount_eur"] == 3500


def test_abbeville_is_in_the_somme_but_not_in_amiens_metropole(aids):
    assert set(local(aids(insee_code="80001"))) == {"local:somme", "local:somme_rehabilitation",
                                                    "local:hauts_de_france"}


def test_lille_and_paris(aids):
    assert set(local(aids(insee_code="59350"))) == {"local:hauts_de_france"}
    assert local(aids(insee_code="75056")) == {}


def test_category_conditions(aids):
    high = local(aids(reference_income=40000))
    assert high["local:amiens_metropole"]["eligible"] is False
    intermediate = local(aids(reference_income=28000))
    assert intermediate["local:amiens_metropole"]["eligible"] is None
    assert intermediate["local:somme"]["eligible"] is False
    landlord = local(aids(reference_income=15000, occupancy="landlord"))
    assert landlord["local:somme"]["eligible"] is False


def test_local_amounts_are_never_in_the_total(aids):
    result = aids(reference_income=15000)
    assert result["total_grants_eur"] == 0
