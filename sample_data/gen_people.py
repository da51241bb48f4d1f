"""Who is in the demo: two teams, their staff, and forty fictional families.

Day numbers are working-day offsets from the day the demo is seeded (0 = that day, -5 = a week
earlier). Ages are in years (a fraction for babies).
"""

from __future__ import annotations

PASSPHRASE = "tandem-demo-pass"

TEAMS = [
    {
        "key": "millbrook",
        "name": "Millbrook Family Safeguarding Team",
        "settings": {
            "summary_rhythm_weeks": 6,
            "visiting_standard_working_days": 10,
            "practitioners_see_team_families": False,
            # Ofcom's drama range: a number that reaches no one.
            "phone": "01632 960 101",
        },
    },
    {
        "key": "eastgate",
        "name": "Eastgate Family Safeguarding Team",
        "settings": {
            "summary_rhythm_weeks": 6,
            "visiting_standard_working_days": 10,
            "practitioners_see_team_families": True,
            "phone": "01632 960 202",
        },
    },
]

# (username, full name, role, team key, gender)
STAFF = [
    ("amara.osei", "Amara Osei", "practitioner", "millbrook", "f"),
    ("tom.gallagher", "Tom Gallagher", "practitioner", "millbrook", "m"),
    ("priya.chauhan", "Priya Chauhan", "practitioner", "millbrook", "f"),
    ("gareth.llewellyn", "Gareth Llewellyn", "practitioner", "millbrook", "m"),
    ("fiona.macleod", "Fiona MacLeod", "team_manager", "millbrook", "f"),
    ("nadia.rahman", "Nadia Rahman", "practitioner", "eastgate", "f"),
    ("kwame.mensah", "Kwame Mensah", "practitioner", "eastgate", "m"),
    ("sophie.kowalczyk", "Sophie Kowalczyk", "practitioner", "eastgate", "f"),
    ("callum.baptiste", "Callum Baptiste", "practitioner", "eastgate", "m"),
    ("harjit.sandhu", "Harjit Sandhu", "team_manager", "eastgate", "m"),
    ("rosalind.ferreira", "Rosalind Ferreira", "practice_lead", None, "f"),
    ("ellis.thornbury", "Ellis Thornbury", "project_staff", None, "m"),
    ("maureen.pike", "Maureen Pike", "admin", None, "f"),
]

LEAD_SUPPORTS = [
    "amara.osei",
    "tom.gallagher",
    "priya.chauhan",
    "nadia.rahman",
    "kwame.mensah",
    "sophie.kowalczyk",
]

MANAGERS = {"millbrook": "fiona.macleod", "eastgate": "harjit.sandhu"}

SCHOOLS = {
    "millbrook": [
        "Millbrook Primary",
        "St Aidan's Primary",
        "Millbrook Academy",
        "Little Acorns Nursery",
    ],
    "eastgate": [
        "Eastgate Primary",
        "Wharfside Primary",
        "Eastgate High School",
        "Rainbow Tree Nursery",
    ],
}
STREETS = [
    "Larch Close",
    "Foundry Lane",
    "Kestrel Way",
    "Mill Race Road",
    "Beacon Terrace",
    "Tannery Court",
    "Orchard Rise",
    "Willow Walk",
    "Quarry Bank",
    "Hawthorn Drive",
    "Chapel Row",
    "Ferry Street",
    "Linnet Grove",
    "Coppice Road",
    "Sorrel Avenue",
    "Brickfield Lane",
    "Heron Court",
    "Pinfold Street",
]
AREAS = {
    "millbrook": ["Millbrook", "Upper Millbrook", "Kingsmoor"],
    "eastgate": ["Eastgate", "Wharfside", "Eastgate Park"],
}


def C(key, first, last, gender, age, statuses):  # a table-building shorthand
    return {
        "key": key,
        "first": first,
        "last": last,
        "role": "child",
        "gender": gender,
        "age": age,
        "statuses": statuses,
    }


def A(key, first, last, role, gender, age, rel):
    return {
        "key": key,
        "first": first,
        "last": last,
        "role": role,
        "gender": gender,
        "age": age,
        "rel": rel,
    }


# Each family: reference number, family name, team, practitioner, scenario, scaling trend,
# opened (working days), closed or None, members. Statuses are (status, since[, CP category]).
# fmt: off
FAMILIES = [
    # ---- Millbrook ----
    (101, "Hughes", "millbrook", "amara.osei", "alcohol_neglect", "up", -175, None, [
        C("c1", "Lily", "Hughes", "f", 6, [("early_help", -160), ("child_in_need", -110), ("child_protection", -70, "neglect")]),
        C("c2", "Josh", "Hughes", "m", 13, [("early_help", -160), ("child_in_need", -110)]),
        A("a1", "Kerry", "Hughes", "parent", "f", 34, "mum"),
        A("net", "Pat", "Hughes", "relative", "f", 61, "nan")]),
    (102, "Begum", "millbrook", "amara.osei", "mental_health", "up", -110, None, [
        C("c1", "Sadia", "Khan", "f", 14, [("child_in_need", -95)]),
        C("c2", "Rayan", "Khan", "m", 9, [("child_in_need", -95)]),
        A("a1", "Shirin", "Begum", "parent", "f", 39, "mum"),
        A("a2", "Imran", "Khan", "parent", "m", 42, "dad"),
        A("net", "Rubina", "Begum", "relative", "f", 35, "aunty")]),
    (103, "Kowalski", "millbrook", "amara.osei", "domestic_abuse", "down", -140, None, [
        C("c1", "Zofia", "Kowalska", "f", 8, [("child_in_need", -120), ("child_protection", -40, "emotional_abuse")]),
        C("c2", "Olek", "Kowalski", "m", 4, [("child_in_need", -120), ("child_protection", -40, "emotional_abuse")]),
        A("a1", "Agnieszka", "Kowalska", "parent", "f", 31, "mum"),
        A("a2", "Marek", "Kowalski", "parent", "m", 35, "dad"),
        A("net", "Dorota", "Lis", "relative", "f", 58, "babcia")]),
    (104, "Campbell", "millbrook", "amara.osei", "attendance_home", "up", -50, None, [
        C("c1", "Kayden", "Campbell", "m", 11, [("early_help", -45)]),
        C("c2", "Ruby", "Campbell", "f", 7, [("early_help", -45)]),
        A("a1", "Shannon", "Campbell", "parent", "f", 30, "mum"),
        A("net", "Denise", "Campbell", "relative", "f", 55, "nan")]),
    (105, "Adeyemi", "millbrook", "amara.osei", "infant_injury", "up", -38, None, [
        C("c1", "Tobi", "Adeyemi", "m", 0.4, [("child_protection", -30, "physical_abuse")]),
        C("c2", "Funmi", "Adeyemi", "f", 5, [("child_in_need", -30)]),
        A("a1", "Bisi", "Adeyemi", "parent", "f", 29, "mum"),
        A("a2", "Dayo", "Adeyemi", "parent", "m", 33, "dad"),
        A("net", "Folake", "Adeyemi", "relative", "f", 60, "grandma")]),
    (106, "Fraser", "millbrook", "tom.gallagher", "teen_exploitation", "down", -90, None, [
        C("c1", "Connor", "Fraser", "m", 15, [("child_in_need", -80), ("child_protection", -50, "neglect")]),
        C("c2", "Jamie", "Fraser", "m", 10, [("child_in_need", -50)]),
        A("a1", "Lorraine", "Fraser", "parent", "f", 41, "mum"),
        A("net", "Stuart", "Fraser", "relative", "m", 45, "uncle")]),
    (107, "Patel", "millbrook", "tom.gallagher", "disability_strain", "up", -120, None, [
        C("c1", "Arjun", "Patel", "m", 10, [("child_in_need", -100)]),
        C("c2", "Anika", "Patel", "f", 6, [("child_in_need", -100)]),
        A("a1", "Meera", "Patel", "parent", "f", 38, "mum"),
        A("a2", "Vikram", "Patel", "parent", "m", 40, "dad"),
        A("net", "Kiran", "Patel", "relative", "f", 67, "grandma")]),
    (108, "Davies", "millbrook", "tom.gallagher", "kinship_cla", "up", -600, None, [
        C("c1", "Seren", "Davies", "f", 9, [("child_protection", -560, "neglect"), ("child_looked_after", -400)]),
        C("c2", "Osian", "Davies", "m", 6, [("child_protection", -560, "neglect"), ("child_looked_after", -400)]),
        A("a1", "Carys", "Davies", "parent", "f", 28, "mum"),
        A("net", "Glenys", "Davies", "carer", "f", 58, "nain")]),
    (109, "O'Connor", "millbrook", "tom.gallagher", "drug_use", "flat", -100, None, [
        C("c1", "Niamh", "O'Connor", "f", 3, [("child_in_need", -85), ("child_protection", -62, "neglect")]),
        C("c2", "Sean", "O'Connor", "m", 7, [("child_in_need", -85), ("child_protection", -62, "neglect")]),
        A("a1", "Roisin", "O'Connor", "parent", "f", 30, "mum"),
        A("a2", "Lee", "Barker", "other", "m", 33, "Lee"),
        A("net", "Bridget", "O'Connor", "relative", "f", 57, "granny")]),
    (110, "Thompson", "millbrook", "tom.gallagher", "housing_money", "up", -95, -12, [
        C("c1", "Tyler", "Thompson", "m", 12, [("early_help", -90)]),
        C("c2", "Mia", "Thompson", "f", 8, [("early_help", -90)]),
        C("c3", "Leo", "Thompson", "m", 2, [("early_help", -90)]),
        A("a1", "Danielle", "Thompson", "parent", "f", 32, "mum"),
        A("net", "Marie", "Thompson", "relative", "f", 54, "nan")]),
    (111, "Nowak", "millbrook", "priya.chauhan", "teen_conflict", "up", -75, None, [
        C("c1", "Kacper", "Nowak", "m", 15, [("child_in_need", -70)]),
        A("a1", "Ewa", "Nowak", "parent", "f", 40, "mum"),
        A("a2", "Paul", "Green", "carer", "m", 44, "Paul"),
        A("net", "Kasia", "Nowak", "relative", "f", 36, "aunt")]),
    (112, "Mahmood", "millbrook", "priya.chauhan", "domestic_abuse", "up", -230, None, [
        C("c1", "Hamza", "Mahmood", "m", 10, [("child_in_need", -200), ("child_protection", -120, "emotional_abuse")]),
        C("c2", "Aisha", "Mahmood", "f", 7, [("child_in_need", -200), ("child_protection", -120, "emotional_abuse")]),
        C("c3", "Zain", "Mahmood", "m", 2, [("child_in_need", -200), ("child_protection", -120, "emotional_abuse")]),
        A("a1", "Rukhsana", "Mahmood", "parent", "f", 33, "mum"),
        A("a2", "Tariq", "Mahmood", "parent", "m", 37, "dad"),
        A("net", "Nasima", "Akhtar", "relative", "f", 30, "aunty")]),
    (113, "Walsh", "millbrook", "priya.chauhan", "alcohol_neglect", "down", -100, None, [
        C("c1", "Ellie", "Walsh", "f", 12, [("child_in_need", -85)]),
        A("a1", "Michael", "Walsh", "parent", "m", 46, "dad"),
        A("net", "Joan", "Walsh", "relative", "f", 72, "gran")]),
    (114, "Joseph", "millbrook", "priya.chauhan", "mental_health", "up", -55, None, [
        C("c1", "Grace", "Joseph", "f", 8, [("early_help", -50)]),
        C("c2", "Malachi", "Joseph", "m", 5, [("early_help", -50)]),
        A("a1", "Simone", "Joseph", "parent", "f", 35, "mum"),
        A("net", "Beverley", "Joseph", "relative", "f", 60, "grandma")]),
    (115, "Yilmaz", "millbrook", "priya.chauhan", "foster_cla", "up", -480, None, [
        C("c1", "Deniz", "Yilmaz", "m", 13, [("child_protection", -420, "physical_abuse"), ("child_looked_after", -300)]),
        A("a1", "Elif", "Yilmaz", "parent", "f", 37, "mum"),
        A("net", "Janet", "Morris", "carer", "f", 52, "foster carer")]),
    (116, "Pemberton", "millbrook", "gareth.llewellyn", "drug_use", "up", -35, None, [
        C("c1", "Harvey", "Sykes", "m", 1, [("child_in_need", -35), ("child_protection", -25, "neglect")]),
        C("c2", "Alfie", "Pemberton", "m", 4, [("child_in_need", -35), ("child_protection", -25, "neglect")]),
        A("a1", "Jade", "Pemberton", "parent", "f", 24, "mum"),
        A("a2", "Ryan", "Sykes", "parent", "m", 27, "dad"),
        A("net", "Tracey", "Pemberton", "relative", "f", 48, "nan")]),
    (117, "Evans", "millbrook", "gareth.llewellyn", "disability_strain", "flat", -130, None, [
        C("c1", "Dylan", "Evans", "m", 8, [("child_in_need", -110)]),
        C("c2", "Megan", "Evans", "f", 14, [("child_in_need", -110)]),
        A("a1", "Rhian", "Evans", "parent", "f", 43, "mum"),
        A("net", "Gwen", "Evans", "relative", "f", 70, "nain")]),
    (118, "Chowdhury", "millbrook", "gareth.llewellyn", "attendance_home", "up", -42, None, [
        C("c1", "Tanvir", "Chowdhury", "m", 13, [("early_help", -40)]),
        C("c2", "Nusrat", "Chowdhury", "f", 10, [("early_help", -40)]),
        A("a1", "Rehana", "Chowdhury", "parent", "f", 41, "mum"),
        A("a2", "Abdul", "Chowdhury", "parent", "m", 47, "abba")]),
    (119, "Sinclair", "millbrook", "gareth.llewellyn", "teen_exploitation", "down", -95, None, [
        C("c1", "Kayla", "Sinclair", "f", 14, [("child_in_need", -80), ("child_protection", -15, "sexual_abuse")]),
        A("a1", "Donna", "Sinclair", "parent", "f", 38, "mum"),
        A("net", "Lauren", "Sinclair", "relative", "f", 22, "big sister")]),
    (120, "Ashworth", "millbrook", "gareth.llewellyn", "domestic_abuse", "up", -260, None, [
        C("c1", "Poppy", "Ashworth", "f", 6, [("child_protection", -200, "emotional_abuse"), ("child_in_need", -35)]),
        C("c2", "Archie", "Ashworth", "m", 3, [("child_protection", -200, "emotional_abuse"), ("child_in_need", -35)]),
        A("a1", "Gemma", "Ashworth", "parent", "f", 29, "mum"),
        A("a2", "Liam", "Hardy", "parent", "m", 31, "dad"),
        A("net", "Sue", "Ashworth", "relative", "f", 56, "nanna")]),
    # ---- Eastgate ----
    (201, "Okafor", "eastgate", "nadia.rahman", "teen_conflict", "up", -80, None, [
        C("c1", "Chidi", "Okafor", "m", 15, [("child_in_need", -72)]),
        C("c2", "Ada", "Okafor", "f", 11, [("child_in_need", -72)]),
        A("a1", "Ngozi", "Okafor", "parent", "f", 44, "mum"),
        A("a2", "Emeka", "Okafor", "parent", "m", 47, "dad"),
        A("net", "Chuka", "Okafor", "relative", "m", 39, "uncle")]),
    (202, "Brennan", "eastgate", "nadia.rahman", "alcohol_neglect", "up", -150, None, [
        C("c1", "Tegan", "Brennan", "f", 5, [("child_in_need", -130), ("child_protection", -90, "neglect")]),
        C("c2", "Finn", "Brennan", "m", 3, [("child_in_need", -130), ("child_protection", -90, "neglect")]),
        C("c3", "Shauna", "Brennan", "f", 11, [("child_in_need", -130)]),
        A("a1", "Claire", "Brennan", "parent", "f", 32, "mum"),
        A("a2", "Kieran", "Brennan", "parent", "m", 36, "dad"),
        A("net", "Maureen", "Doherty", "relative", "f", 63, "nana")]),
    (203, "Hussain", "eastgate", "nadia.rahman", "mental_health", "up", -75, None, [
        C("c1", "Maryam", "Hussain", "f", 4, [("early_help", -70), ("child_in_need", -30)]),
        C("c2", "Yusuf", "Hussain", "m", 0.7, [("early_help", -70), ("child_in_need", -30)]),
        A("a1", "Farzana", "Hussain", "parent", "f", 27, "mum"),
        A("a2", "Bilal", "Hussain", "parent", "m", 30, "dad"),
        A("net", "Nasreen", "Hussain", "relative", "f", 55, "dadi")]),
    (204, "Clarke", "eastgate", "nadia.rahman", "kinship_cla", "up", -330, None, [
        C("c1", "Jayden", "Clarke", "m", 7, [("child_protection", -300, "neglect"), ("child_looked_after", -250)]),
        A("a1", "Tanisha", "Clarke", "parent", "f", 26, "mum"),
        A("net", "Marcia", "Clarke", "carer", "f", 45, "aunty")]),
    (205, "Petrova", "eastgate", "nadia.rahman", "housing_money", "flat", -20, None, [
        C("c1", "Viktor", "Petrov", "m", 9, [("early_help", -20)]),
        C("c2", "Elena", "Petrova", "f", 6, [("early_help", -20)]),
        A("a1", "Daniela", "Petrova", "parent", "f", 34, "mum")]),
    (206, "Doyle", "eastgate", "kwame.mensah", "drug_use", "down", -220, None, [
        C("c1", "Mason", "Doyle", "m", 2, [("child_in_need", -180), ("child_protection", -140, "neglect")]),
        C("c2", "Lacey", "Doyle", "f", 9, [("child_in_need", -180), ("child_protection", -140, "multiple")]),
        A("a1", "Stacey", "Doyle", "parent", "f", 29, "mum"),
        A("a2", "Craig", "Doyle", "parent", "m", 34, "dad"),
        A("net", "Janice", "Doyle", "relative", "f", 52, "nan")]),
    (207, "Iqbal", "eastgate", "kwame.mensah", "disability_strain", "up", -115, None, [
        C("c1", "Ibrahim", "Iqbal", "m", 12, [("child_in_need", -100)]),
        C("c2", "Safa", "Iqbal", "f", 9, [("child_in_need", -100)]),
        A("a1", "Sana", "Iqbal", "parent", "f", 40, "mum"),
        A("a2", "Omar", "Iqbal", "parent", "m", 43, "dad"),
        A("net", "Zubair", "Iqbal", "relative", "m", 35, "chacha")]),
    (208, "Henry", "eastgate", "kwame.mensah", "teen_exploitation", "up", -140, None, [
        C("c1", "Marcus", "Henry", "m", 16, [("child_in_need", -130), ("child_protection", -100, "neglect"), ("child_looked_after", -20)]),
        A("a1", "Beverley", "Henry", "parent", "f", 45, "mum"),
        A("net", "Andre", "Henry", "relative", "m", 25, "big brother")]),
    (209, "Lewis", "eastgate", "kwame.mensah", "attendance_home", "up", -85, -15, [
        C("c1", "Cerys", "Lewis", "f", 10, [("early_help", -80)]),
        C("c2", "Rhys", "Lewis", "m", 7, [("early_help", -80)]),
        A("a1", "Owen", "Lewis", "parent", "m", 38, "dad"),
        A("net", "Ann", "Lewis", "relative", "f", 64, "nan")]),
    (210, "Santos", "eastgate", "kwame.mensah", "domestic_abuse", "up", -70, None, [
        C("c1", "Gabriel", "Santos", "m", 9, [("child_in_need", -65), ("child_protection", -55, "emotional_abuse")]),
        C("c2", "Luana", "Santos", "f", 6, [("child_in_need", -65), ("child_protection", -55, "emotional_abuse")]),
        A("a1", "Ana", "Santos", "parent", "f", 34, "mum"),
        A("a2", "Jason", "Reid", "parent", "m", 36, "dad"),
        A("net", "Lucia", "Santos", "relative", "f", 31, "tia")]),
    (211, "Kaur", "eastgate", "sophie.kowalczyk", "teen_conflict", "up", -60, None, [
        C("c1", "Simran", "Kaur", "f", 14, [("early_help", -55)]),
        A("a1", "Harpreet", "Kaur", "parent", "f", 42, "mum"),
        A("a2", "Manjit", "Singh", "parent", "m", 45, "dad"),
        A("net", "Gurpreet", "Kaur", "relative", "f", 38, "masi")]),
    (212, "Bailey", "eastgate", "sophie.kowalczyk", "alcohol_neglect", "up", -300, None, [
        C("c1", "Jordan", "Bailey", "m", 8, [("child_protection", -250, "neglect"), ("child_in_need", -100)]),
        C("c2", "Tia", "Bailey", "f", 4, [("child_protection", -250, "neglect"), ("child_in_need", -100)]),
        A("a1", "Leanne", "Bailey", "parent", "f", 31, "mum"),
        A("a2", "Dean", "Moss", "other", "m", 35, "Dean"),
        A("net", "Carol", "Bailey", "relative", "f", 58, "nan")]),
    (213, "Nwosu", "eastgate", "sophie.kowalczyk", "infant_injury", "up", -25, None, [
        C("c1", "Zara", "Nwosu", "f", 0.25, [("child_protection", -18, "physical_abuse")]),
        A("a1", "Grace", "Nwosu", "parent", "f", 26, "mum"),
        A("a2", "Obi", "Nwosu", "parent", "m", 29, "dad"),
        A("net", "Chioma", "Nwosu", "relative", "f", 34, "aunty")]),
    (214, "Murphy", "eastgate", "sophie.kowalczyk", "foster_cla", "flat", -360, None, [
        C("c1", "Ella", "Murphy", "f", 11, [("child_protection", -300, "emotional_abuse"), ("child_looked_after", -150)]),
        C("c2", "Jack", "Murphy", "m", 8, [("child_protection", -300, "emotional_abuse"), ("child_looked_after", -150)]),
        A("a1", "Sinead", "Murphy", "parent", "f", 36, "mum"),
        A("net", "Carol", "Whitaker", "carer", "f", 55, "foster carer")]),
    (215, "Dimitrov", "eastgate", "sophie.kowalczyk", "mental_health", "down", -90, None, [
        C("c1", "Alex", "Dimitrov", "m", 12, [("child_in_need", -80)]),
        C("c2", "Mila", "Dimitrova", "f", 7, [("child_in_need", -80)]),
        A("a1", "Stefan", "Dimitrov", "parent", "m", 44, "dad"),
        A("net", "Irina", "Dimitrova", "relative", "f", 68, "baba")]),
    (216, "Whitfield", "eastgate", "callum.baptiste", "drug_use", "up", -95, None, [
        C("c1", "Skye", "Whitfield", "f", 2, [("child_in_need", -85), ("child_protection", -75, "neglect")]),
        C("c2", "Kai", "Whitfield", "m", 6, [("child_in_need", -85), ("child_protection", -75, "neglect")]),
        A("a1", "Chelsea", "Whitfield", "parent", "f", 25, "mum"),
        A("net", "Karen", "Whitfield", "relative", "f", 49, "nan")]),
    (217, "Ali", "eastgate", "callum.baptiste", "housing_money", "up", -70, None, [
        C("c1", "Ilyas", "Ali", "m", 11, [("child_in_need", -60)]),
        C("c2", "Omar", "Ali", "m", 8, [("child_in_need", -60)]),
        C("c3", "Hana", "Ali", "f", 5, [("child_in_need", -60)]),
        A("a1", "Fatima", "Ali", "parent", "f", 37, "mum"),
        A("net", "Samira", "Hassan", "relative", "f", 33, "khala")]),
    (218, "Kelly", "eastgate", "callum.baptiste", "teen_exploitation", "down", -55, None, [
        C("c1", "Brandon", "Kelly", "m", 14, [("child_in_need", -45)]),
        A("a1", "Nicola", "Kelly", "parent", "f", 39, "mum"),
        A("net", "Gary", "Kelly", "relative", "m", 42, "uncle")]),
    (219, "Francis", "eastgate", "callum.baptiste", "kinship_cla", "up", -240, None, [
        C("c1", "Amelia", "Francis", "f", 4, [("child_in_need", -220), ("child_looked_after", -180)]),
        A("a1", "Marlon", "Francis", "parent", "m", 27, "dad"),
        A("net", "Pauline", "Francis", "carer", "f", 59, "grandma"),
        A("a2", "Delroy", "Francis", "carer", "m", 62, "grandad")]),
    (220, "Thornton", "eastgate", "callum.baptiste", "domestic_abuse", "down", -75, None, [
        C("c1", "Isla", "Thornton", "f", 9, [("early_help", -70), ("child_in_need", -12)]),
        C("c2", "Noah", "Thornton", "m", 6, [("early_help", -70), ("child_in_need", -12)]),
        A("a1", "Hayley", "Thornton", "parent", "f", 33, "mum"),
        A("a2", "Scott", "Thornton", "parent", "m", 35, "dad"),
        A("net", "Linda", "Thornton", "relative", "f", 61, "nan")]),
]
# fmt: on

CLOSURE_REASONS = {
    110: "Early Help goals met: the family moved to a secure tenancy and debts are managed.",
    209: "Early Help goals met: attendance above 95% for a full term. Family know how to come back.",
}

#: Families whose CP children have not been seen within the visiting standard (last visit, days ago).
OVERDUE_VISITS = {106: -14, 206: -12, 119: -11}
#: Families with no plan yet, and with no Signs of Safety mapping yet.
NO_PLAN = {205, 118}
NO_MAPPING = {114, 118, 205, 211}
#: Families whose plan review date has passed without a review.
REVIEW_OVERDUE = {206: -3, 113: -6, 214: -2}
#: Families whose last summary is older than the team's rhythm.
STALE_SUMMARY = {113, 206, 218}
#: Families in (or heading to) court, who need court statements written outside Tandem.
PROCEEDINGS = {206, 208, 115, 214}
#: The state of each family's latest case summary (default: approved).
LATEST_SUMMARY = {
    103: "returned",
    117: "returned",
    215: "returned",
    101: "resubmitted",
    210: "resubmitted",
    107: "submitted",
    106: "submitted",
    207: "submitted",
    213: "submitted",
    217: "submitted",
    105: "draft",
    111: "draft",
    201: "draft",
    216: "draft",
    219: "draft",
    220: "draft",
}
#: Families whose earlier summary was returned once, then resubmitted and approved.
EARLIER_RETURNED = {112, 202, 204}
