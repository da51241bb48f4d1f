"""Invented words for the benchmark generator (every name here is fictional)."""

from __future__ import annotations

import random

FIRST = (
    "Alex Ash Bea Bo Cal Cass Dee Dru Eli Em Fen Fay Gus Gia Hal Hope Ira Ivy Jo Jude Kai Kit "
    "Lou Liv Max Mo Ned Nia Oli Ora Pip Pax Quin Rae Rex Roo Sam Sol Tam Tia Uma Val Wren Xan "
    "Yas Zed Zia"
).split()
SURNAMES = (
    "Abbott Ashdown Baird Bellamy Carrick Cole Dunmore Ellery Fairley Foss Garside Hale Ingham "
    "Jessop Kersey Lomax Marr Nettleton Orme Pryce Quarry Rusby Sallis Thorne Upton Varley "
    "Wardle Yeadon Zouch Brindle Cawood Delph Eastham Fenwick Gadsby Hepworth Illing Jagger"
).split()
STREETS = "Mill Lane,Church Street,Park Road,Station Road,Hill Rise,Brook Close,Orchard Way".split(
    ","
)
STATUSES = (
    "none",
    "early_help",
    "child_in_need",
    "child_in_need",
    "child_protection",
    "child_looked_after",
)
CP_CATEGORIES = ("neglect", "physical_abuse", "emotional_abuse", "sexual_abuse", "multiple")
GOALS = (
    "The children get to school every day and on time.",
    "Mum and dad keep the house safe and warm.",
    "The children are not around shouting or fighting at home.",
    "The baby has regular health visitor checks.",
    "Everyone knows who to call when things get hard.",
)
ACTIONS = (
    "Walk the children to school each morning.",
    "Go to the parenting group on Tuesdays.",
    "Meet the health visitor every two weeks.",
    "Agree a safety plan with grandma.",
    "Register with the GP and keep appointments.",
)
WHO = ("Mum", "Dad", "Grandma", "Social worker", "School", "Health visitor")
FAMILY_WORDS = (
    "We want the kids to be happy and stay with us.",
    "We want things to calm down at home.",
    "We want help with the money worries.",
)
CONTINGENCY = (
    "If things do not improve we will hold a review meeting sooner.",
    "If school attendance drops again the plan will be reviewed within two weeks.",
)
SECTION_TEXT = (
    "Attendance has improved and the children say mornings are calmer.",
    "Mum has kept most appointments; one was missed because of illness.",
    "The children told me they like the new bedtime routine.",
    "Progress on the plan is steady; two actions are done and one has slipped.",
    "Scaling by the family rose from 4 to 6 over the period.",
    "Risk is lower than at the last review but the worries about drinking remain.",
    "Next: review meeting in six weeks; school to share attendance weekly.",
)
NOTES = (
    "Home visit, children seen, house tidy.",
    "Phone call with mum about school.",
    "Met at school with the teacher.",
    "Family meeting to review the plan.",
    "Video call, dad and children present.",
)
PRESENT = ("Mum, children", "Dad", "Mum, dad, children", "Grandma, children", "Teacher, child")


def first_name(rng: random.Random) -> str:
    return rng.choice(FIRST)


def surname(rng: random.Random) -> str:
    return rng.choice(SURNAMES)


def person_name(rng: random.Random) -> str:
    return f"{first_name(rng)} {surname(rng)}"


def street(rng: random.Random) -> str:
    return rng.choice(STREETS)
