"""Cells that a spreadsheet would run as a formula, made safe in files the Hub writes, and read back as meant."""

from __future__ import annotations

# What a spreadsheet takes as the start of a formula (a tab or return can hide one after it).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell):
    """Text that would start a formula, with a quote mark in front so the spreadsheet shows it as text."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def spreadsheet_value(text: str) -> str:
    """What ``spreadsheet_safe`` wrote, as it was: a file exported by the Hub imports again unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
