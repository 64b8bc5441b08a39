"""Installed distributions are read off metadata directory names; that
must name what importlib.metadata finds in this very environment."""

from __future__ import annotations

import importlib.metadata

from asynclint.markers.plugins import installed_distributions, normalise


def test_directory_names_give_the_distributions_metadata_names() -> None:
    expected = {
        normalise(name)
        for distribution in importlib.metadata.distributions()
        if (name := distribution.metadata["Name"])
    }
    assert installed_distributions() == expected
    assert "pytest" in expected
