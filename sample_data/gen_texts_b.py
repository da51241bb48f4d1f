"""Scenario texts for the demo families (part 2 of 2). See gen_texts_a for the placeholders."""

from __future__ import annotations

ARCHETYPES_B: dict[str, dict] = {}

ARCHETYPES_B["disability_strain"] = {
    "why": (
        "{c1.name} is autistic and has very little speech. When {c1.she} is overwhelmed {c1.she} can "
        "lash out, and {c2.name} has been hurt several times. {a1.name} has not had a full night's "
        "sleep in months and asked for help after {c2.name} told a teacher {c2.she} was scared of "
        "{c1.name}."
    ),
    "harm": [
        "{c2.name} had a scratch near {c2.their} eye after {c1.name} lashed out at bedtime.",
        "{a1.name} was so exhausted that {a1.she} fell asleep while the children were in the bath.",
    ],
    "complicating": [
        "Short breaks have been on a waiting list for seven months.",
        "{c1.name}'s sleep is very poor and {c1.she} wakes three or four times a night.",
    ],
    "strengths": [
        "{a1.name} knows {c1.name}'s signs of distress very well.",
        "{c1.name}'s special school is very supportive and shares strategies.",
        "{c2.name} is kind to {c1.name} and likes helping with {c1.their} picture cards.",
    ],
    "safety": [
        "{a1.name} has set up a calm room and uses it when {c1.name} is overwhelmed.",
        "{c2.name} knows to go to {c2.their} room and shut the door when {c1.name} gets upset.",
    ],
    "next_steps": [
        "Chase the short breaks panel decision.",
        "Sleep clinic referral for {c1.name}.",
        "Time for {c2.name} on {c2.their} own every week.",
    ],
    "dangers": [
        {
            "who": "{sw}, {a1.name} and {c1.name}'s school",
            "about": "{c2.name} will be hurt again when {c1.name} is overwhelmed and {a1.name} is too "
            "exhausted to step in",
            "if_nothing": "{c2.name} will keep getting hurt and will grow up frightened at home, and "
            "{a1.name} may reach breaking point.",
            "parents_will": "{a1.name} will use the calm room plan and accept short breaks so "
            "{a1.she} can rest.",
            "child": "{c2.name} will feel safe at home and have time that is just for {c2.them}.",
            "prof": "No injuries to {c2.name}; short breaks in place; {a1.name} says {a1.she} is "
            "sleeping.",
            "how_long": "Three months",
        }
    ],
    "family_words": (
        "I love both my children. I just need some sleep and some help, so {c2.name} isn't always "
        "waiting for the next meltdown."
    ),
    "goals": [
        (
            "{c2.name} will be safe and feel safe at home.",
            0,
            [
                ("Keep the calm room plan going every evening", "{a1.name}", 0),
                ("Present the short breaks request to panel", "{sw}", 15),
                ("Young siblings group for {c2.name}", "{sw}", 20),
            ],
        ),
        (
            "{a1.name} will get enough rest to cope.",
            None,
            [
                ("Sleep clinic referral", "Paediatrician", 20),
                ("Take one evening off each week", "{a1.name}", 10),
            ],
        ),
    ],
    "contingency": (
        "If {c2.name} is hurt again, we will arrange emergency short breaks within 48 hours and meet "
        "to look again at the plan."
    ),
    "changed": {
        "up": [
            "Short breaks were agreed at panel and start next month. No injuries to {c2.name}.",
            "{c1.name} stays at the short breaks unit one night a week. {a1.name} says {a1.she} feels "
            "human again.",
        ],
        "down": [
            "{c2.name} was hurt twice this period. {a1.name} says {a1.she} cannot carry on like this.",
            "Short breaks were refused. {a1.name} has asked whether {c1.name} could live elsewhere.",
        ],
        "flat": [
            "Fewer incidents, but {a1.name} is still exhausted.",
            "Still waiting for short breaks.",
        ],
    },
    "words": {
        "worry": "when {c1.name} gets cross and hits",
        "good": "playing with {c1.name} on the trampoline",
        "dream": "a holiday with just me and {a1.rel}",
        "worry_teen": "never being able to have friends round",
        "good_teen": "the siblings group, they get it",
        "dream_teen": "a bit of time that's just mine",
    },
    "analysis": {
        "up": "The children are safer because {a1.name} has rest and a plan. This is a family who "
        "need long-term support for a disabled child, not child protection.",
        "down": "{c2.name} is not safe at home at the moment, and {a1.name} is at breaking point. "
        "The lack of short breaks is the main risk and I will escalate it.",
        "flat": "We are holding things together. Without short breaks this will not last.",
    },
    "summary_next": "Escalate the short breaks decision; siblings group; review the calm room plan.",
    "notes": [
        (
            "home_visit",
            "After-school visit. {c1.name} using the calm room with {a1.name}. Saw {c2.name} "
            'alone: said this week was "better, only one meltdown".',
        ),
        (
            "school_nursery",
            "Met {c1.name}'s class teacher: picture cards working; shared the sleep "
            "diary with {a1.name}'s consent.",
        ),
        ("phone", "Short breaks team rang; panel date confirmed. Told {a1.name}."),
    ],
}

ARCHETYPES_B["kinship_cla"] = {
    "why": (
        "{kids} have lived with {net.name} since a court decided they could not safely live with "
        "{a1.name}, because of drug use and the people coming to the home. {net.name} is their "
        "kinship carer. {a1.name} sees the children twice a month, supervised."
    ),
    "harm": [
        "Before coming into care, {c1.name} found needles at home and was often left alone.",
    ],
    "complicating": [
        "{a1.name} sometimes misses family time without warning, which upsets {c1.name}.",
        "{net.name} has health problems and worries about the future.",
    ],
    "strengths": [
        "{kids} are settled, doing well at school and very close to {net.name}.",
        "{net.name} keeps the children's life story book up to date.",
        "{a1.name} has been in recovery for nine months.",
    ],
    "safety": [
        "Family time is supervised and {net.name} makes sure it ends calmly.",
        "{net.name} has kept every review and health appointment.",
    ],
    "next_steps": [
        "Review family time: could it move to a community setting?",
        "Support for {net.name} with a carers' assessment.",
        "Life story work with {c1.name}.",
    ],
    "dangers": [
        {
            "who": "{sw} and {net.name}",
            "about": "if family time is not reliable, {c1.name} will keep being let down and "
            "unsettled",
            "if_nothing": "{c1.name}'s behaviour at school will suffer and {c1.she} may lose trust in "
            "adults.",
            "parents_will": "{a1.name} will confirm family time the day before and turn up sober.",
            "child": "{kids} will know when they will see {a1.name} and that it will happen.",
            "prof": "Family time happens as planned at least nine times out of ten.",
            "how_long": "Six months",
        }
    ],
    "family_words": (
        "{net.name} said: \"They're family and this is their home. I just want their {a1.rel} to keep "
        '{a1.their} promises to them."'
    ),
    "goals": [
        (
            "{kids} will have reliable, happy family time with {a1.name}.",
            0,
            [
                ("Confirm family time by text the day before", "{a1.name}", 0),
                ("Book the family centre every other Saturday", "{sw}", 5),
            ],
        ),
        (
            "{net.name} will have the support {net.she} needs to care long term.",
            None,
            [
                ("Carers' assessment", "{sw}", 20),
                ("Keep the life story book up to date", "{net.name}", 30),
            ],
        ),
    ],
    "contingency": (
        "If {net.name} becomes unable to care, the children will stay with {net.their} sister, who "
        "has been assessed as a back-up carer."
    ),
    "changed": {
        "up": [
            "Family time has happened every time this period. {c1.name} has had a good term.",
            "Family time moved to the park and went well. {net.name}'s carers' assessment is done.",
        ],
        "down": [
            "{a1.name} missed three sessions in a row; {c1.name} was very upset and hit a classmate.",
            "{net.name} was in hospital for a week and the back-up plan was used.",
        ],
        "flat": ["Settled placement; family time mostly happens.", "No change to the plan."],
    },
    "words": {
        "worry": "when {a1.rel} doesn't come",
        "good": "living with {net.name} and the dog",
        "dream": "{a1.rel} coming to my birthday",
        "worry_teen": "people at school finding out I live with {net.name}",
        "good_teen": "football and my mates",
        "dream_teen": "to stay here till I'm grown up",
    },
    "analysis": {
        "up": "The placement is stable and loving. The plan is working; the next step is to "
        "reduce how often we visit, in line with the care plan.",
        "down": "The placement is strong, but unreliable family time is hurting {c1.name}. The "
        "arrangement needs to change.",
        "flat": "A settled placement; the plan is right and should continue.",
    },
    "summary_next": "Looked after review next month; life story work; carers' assessment.",
    "notes": [
        (
            "home_visit",
            "Statutory visit. Saw {c1.name} alone in {c1.their} bedroom: happy, showed me "
            "{c1.their} school reading award. {net.name} well.",
        ),
        (
            "other",
            "Supervised family time at the family centre. {a1.name} on time; played board "
            "games; warm goodbye.",
        ),
        (
            "phone",
            "{net.name} rang: {a1.name} cancelled Saturday. Agreed I will tell the children "
            "together with {net.name}.",
        ),
    ],
}

ARCHETYPES_B["teen_conflict"] = {
    "why": (
        "{c1.name} and {a2.name} have had many serious arguments, two of which became physical. "
        "After the last one {c1.name} stayed at a friend's for three nights and said {c1.she} would "
        "not go home. {a1.name} feels torn between them."
    ),
    "harm": ["{c1.name} had a bruised arm after {a2.name} grabbed {c1.them} during an argument."],
    "complicating": [
        "{c1.name} is using cannabis most weekends.",
        "{a2.name} had a very strict upbringing and thinks {c1.name} needs more discipline.",
    ],
    "strengths": [
        "Everyone in the family wants things to be calmer.",
        "{c1.name} is bright and wants to do well in {c1.their} exams.",
        "{a1.name} is a good listener and {c1.name} trusts {a1.them}.",
    ],
    "safety": [
        "{a2.name} has walked away from arguments twice this month.",
        "{c1.name} went to {net.name}'s to cool off instead of staying out.",
    ],
    "next_steps": [
        "Family therapy sessions.",
        "House rules agreed by all three, written down.",
        "Young people's drug service for {c1.name}.",
    ],
    "dangers": [
        {
            "who": "{sw} and {a1.name}",
            "about": "arguments between {c1.name} and {a2.name} will turn physical again",
            "if_nothing": "{c1.name} could be hurt or leave home to somewhere unsafe.",
            "parents_will": "{a2.name} will walk away when angry and let {a1.name} handle the issue.",
            "child": "{c1.name} will feel listened to at home and safe to come back after a row.",
            "prof": "No physical incidents; {c1.name} sleeping at home every night.",
            "how_long": "Three months",
        }
    ],
    "family_words": "We want to be able to disagree without it turning into a war.",
    "goals": [
        (
            "Arguments will not turn physical.",
            0,
            [
                ("Walk away and take twenty minutes when angry", "{a2.name}", 0),
                ("Refer to family therapy", "{sw}", 10),
            ],
        ),
        (
            "{c1.name} will cut down cannabis.",
            None,
            [("Meet the young people's drug worker", "{c1.name}", 15)],
        ),
    ],
    "contingency": "If there is another physical incident, {c1.name} will stay with {net.name} while we meet.",
    "changed": {
        "up": [
            "No physical incidents. The family have been to two therapy sessions.",
            "The house rules are on the fridge and mostly kept.",
        ],
        "down": [
            "Another physical argument; police were called.",
            "{c1.name} has stayed out three nights this month.",
        ],
        "flat": ["Fewer arguments but still tense.", "Therapy has not started yet."],
    },
    "words": {
        "worry": "shouting at home",
        "good": "my PlayStation",
        "dream": "everyone getting on",
        "worry_teen": "{a2.rel} thinks everything I do is wrong",
        "good_teen": "{a1.rel} actually listens",
        "dream_teen": "to get my grades and get out, no offence",
    },
    "analysis": {
        "up": "The family are learning to manage conflict. I think we can step down to Early Help "
        "after the next review.",
        "down": "The risk of another physical incident is high and {c1.name} is voting with "
        "{c1.their} feet. We need to act quickly.",
        "flat": "Tension remains; therapy is the key piece and it has not started.",
    },
    "summary_next": "Start family therapy; review house rules; drug service appointment.",
    "notes": [
        (
            "home_visit",
            "Visit with all three. Wrote house rules together; {c1.name} chose two of them. "
            "Calm meeting.",
        ),
        (
            "other",
            'Took {c1.name} for a walk. Said home is "better, still annoying". Talked about exams.',
        ),
        (
            "phone",
            "{a2.name} rang after an argument last night; walked away as agreed. Praised this.",
        ),
    ],
}

ARCHETYPES_B["housing_money"] = {
    "why": (
        "{a1.name} asked for help after the family were served notice on their flat. There are "
        "rent arrears, the fridge is often empty at the end of the month and the children share one "
        "small bedroom with damp."
    ),
    "harm": ["{c1.name} has had repeated chest infections; the GP linked them to damp."],
    "complicating": [
        "{a1.name} is frightened to open letters and has not answered the housing office.",
        "Universal Credit was stopped for six weeks after a missed appointment.",
    ],
    "strengths": [
        "The children are loved and well cared for in a hard situation.",
        "{a1.name} has kept the children in school throughout.",
    ],
    "safety": ["{a1.name} uses the food bank when money runs out, so the children always eat."],
    "next_steps": [
        "Housing options appointment.",
        "Debt advice.",
        "Universal Credit reinstated.",
    ],
    "dangers": [
        {
            "who": "The family support worker and {a1.name}",
            "about": "the family will become homeless and the children will go without food and "
            "warmth",
            "if_nothing": "the children's health and schooling will suffer.",
            "parents_will": "{a1.name} will go to housing and debt appointments with support.",
            "child": "{kids} will live in a warm, dry home with enough food.",
            "prof": "A tenancy secured and benefits in payment.",
            "how_long": "Three months",
        }
    ],
    "family_words": "I've never been in debt before. I just want a safe home for my kids.",
    "goals": [
        (
            "The family will have a safe, dry home.",
            0,
            [
                ("Go to the housing options appointment together", "{sw}", 10),
                ("Report the damp to environmental health", "{sw}", 5),
            ],
        ),
        (
            "The family will have enough money for food and bills.",
            None,
            [
                ("Debt advice appointment", "{a1.name}", 15),
                ("Help with the Universal Credit appeal", "{sw}", 10),
            ],
        ),
    ],
    "contingency": "If the family are evicted, the housing team will provide emergency accommodation.",
    "changed": {
        "up": [
            "Universal Credit is back in payment and a debt plan is agreed.",
            "The family have been offered a two-bedroom flat.",
        ],
        "down": [
            "The eviction date has been set.",
            "The food bank has been used four times this month.",
        ],
        "flat": ["Still waiting for the housing decision.", "Things are stable but uncertain."],
    },
    "words": {
        "worry": "having to move away from my friends",
        "good": "my school",
        "dream": "a bedroom with a bunk bed",
        "worry_teen": "people finding out we might lose the flat",
        "good_teen": "my friends and the youth club",
        "dream_teen": "a room of my own",
    },
    "analysis": {
        "up": "This is a family in poverty, not a family where care is the problem. Practical help "
        "has worked; we should close once the move is done.",
        "down": "Homelessness would be very harmful. I will escalate to the housing manager.",
        "flat": "The plan is right; we are waiting on other services.",
    },
    "summary_next": "Housing decision; debt plan review; plan closure if housing is secured.",
    "notes": [
        ("office", "{a1.name} came to the office; filled in the housing form together."),
        (
            "home_visit",
            "Visit. Damp in the children's room photographed for environmental health. "
            "Fridge stocked; food bank used on Monday.",
        ),
        ("phone", "Debt adviser confirmed the appointment for {a1.name}."),
    ],
}

ARCHETYPES_B["drug_use"] = {
    "why": (
        "{a1.name} uses heroin and crack cocaine. Police found drug paraphernalia within reach of "
        "{c1.name} during a search, and people were coming to the house at all hours. {kids} "
        "were not always fed or washed and the home was in a poor state."
    ),
    "harm": [
        "Used needles were found in the living room where {c1.name} plays.",
        "{c1.name}'s development is behind; the health visitor is worried about {c1.their} speech.",
    ],
    "complicating": [
        "{a1.name} has started and stopped treatment several times before.",
        "Some of the people who visit the house are involved in dealing.",
    ],
    "strengths": [
        "{a1.name} is honest about {a1.their} use and wants to stop.",
        "{net.name} is willing to help and has a spare room.",
        "{c1.name} is affectionate and goes to {a1.name} for comfort.",
    ],
    "safety": [
        "{a1.name} has agreed to keep all drugs and equipment in a locked box.",
        "{a1.name} has started a script at the drug service and is tested weekly.",
    ],
    "next_steps": [
        "Weekly drug tests shared with {sw}.",
        "Nursery place for {c1.name}.",
        "Stop visitors coming to the house.",
    ],
    "dangers": [
        {
            "who": "{sw}, the police and the health visitor",
            "about": "{a1.name}'s drug use will leave {kids} without an adult able to care for "
            "them, and that they will find drugs or needles",
            "if_nothing": "{kids} could be seriously harmed or poisoned, and their development will "
            "keep falling behind.",
            "parents_will": "{a1.name} will stay on {a1.their} script, keep tests clear and keep no "
            "drugs in the home.",
            "child": "{kids} will be fed, clean, at nursery or school, and safe from drugs.",
            "prof": "Clear tests for three months; a tidy, safe home; nursery attendance.",
            "how_long": "Six months",
        }
    ],
    "family_words": "I've been using since I was 17. I want to be clean for my kids. I'm scared but I want to try.",
    "goals": [
        (
            "{a1.name} will stop using and the home will be free of drugs.",
            0,
            [
                ("Attend the drug service and take the script daily", "{a1.name}", 0),
                ("Share weekly test results", "Drug service", 5),
                ("Unannounced visits twice a week", "{sw}", 5),
            ],
        ),
        (
            "{kids} will be fed, clean and getting the help they need to develop.",
            None,
            [
                ("Nursery place for {c1.name}", "Health visitor", 15),
                ("Speech and language referral", "Health visitor", 10),
                ("Help with meal planning and shopping", "Family support worker", 10),
            ],
        ),
    ],
    "contingency": (
        "If tests show use or drugs are found in the home, {kids} will go to {net.name}'s and we "
        "will seek legal advice. We will start the pre-proceedings process if there is no change "
        "by the review."
    ),
    "changed": {
        "up": [
            "Tests have been clear for five weeks. The home is clean and visitors have stopped.",
            "Tests clear for ten weeks. {c1.name} started nursery and is saying new words.",
        ],
        "down": [
            "Two positive tests this period. A known dealer was at the house during a visit.",
            "{a1.name} has stopped attending the drug service. We are starting pre-proceedings.",
        ],
        "flat": [
            "Tests are mixed; some clear, some not.",
            "The home is better but visitors continue.",
        ],
    },
    "words": {
        "worry": "strangers in the house at night",
        "good": "{net.name}'s house",
        "dream": "{a1.rel} getting better",
        "worry_teen": "{a1.rel} slipping again",
        "good_teen": "staying at {net.name}'s",
        "dream_teen": "everything being normal",
    },
    "analysis": {
        "up": "{a1.name} is doing what the plan asks and the children are benefiting. Recovery is "
        "long; the safety network needs to be ready for a lapse.",
        "down": "The children are not safe enough at home. The plan has been tried fully and has "
        "not led to change. I have asked for legal planning.",
        "flat": "There is some progress but not enough for the children's timescales.",
    },
    "summary_next": "Continue testing; nursery start; legal planning meeting if tests are positive.",
    "notes": [
        (
            "home_visit",
            "Unannounced visit. Lock box in use, no visitors. {c1.name} clean and dressed; "
            "ate a snack while I was there.",
        ),
        ("phone", "Drug service: test this week clear. {a1.name} attended every day."),
        (
            "home_visit",
            "Visit. Saw {c1.name}'s room; clean sheets. {a1.name} showed me the meal plan.",
        ),
    ],
}

ARCHETYPES_B["foster_cla"] = {
    "why": (
        "{c1.name} has been in foster care with {net.name} since a court made a care order. "
        "{a1.name} was not able to keep {c1.name} safe from a partner who was violent. The plan is "
        "now to see whether {c1.name} can go home to {a1.name}, step by step."
    ),
    "harm": ["{c1.name} saw serious violence at home and was hit by {a1.name}'s former partner."],
    "complicating": [
        "{c1.name} has mixed feelings about going home and worries about {a1.name}.",
        "{a1.name}'s former partner has been released from prison.",
    ],
    "strengths": [
        "{a1.name} ended the relationship and has done the freedom programme.",
        "{c1.name} has done really well in the placement and at school.",
        "{net.name} and {a1.name} get on well and talk often.",
    ],
    "safety": [
        "{a1.name} has a non-molestation order against the former partner.",
        "Overnight stays at home have gone well.",
    ],
    "next_steps": [
        "Increase overnight stays to weekends.",
        "Safety plan about the former partner shared with school.",
    ],
    "dangers": [
        {
            "who": "{sw}, the independent reviewing officer and {net.name}",
            "about": "{c1.name} will go home and the former partner will come back into the family",
            "if_nothing": "{c1.name} would be at risk of violence again and may come back into care.",
            "parents_will": "{a1.name} will keep the order in place and tell us about any contact.",
            "child": "{c1.name} will feel safe at home and know what to do if the former partner "
            "appears.",
            "prof": "No contact from the former partner; overnight stays go as planned.",
            "how_long": "Six months after return",
        }
    ],
    "family_words": "I know I let {c1.name} down. I've done the work and I want to show {c1.them} home is safe now.",
    "goals": [
        (
            "{c1.name} will return home safely, step by step.",
            0,
            [
                ("Weekend stays at home", "{a1.name}", 20),
                ("Review each stay with {c1.name}", "{sw}", 20),
                ("Support {c1.name} through the move", "{net.name}", 40),
            ],
        ),
    ],
    "contingency": "If the former partner has any contact, stays will pause and the core group will meet.",
    "changed": {
        "up": [
            "Overnight stays increased to weekends and have gone well.",
            "{c1.name} says {c1.she} is ready to go home at half term.",
        ],
        "down": [
            "The former partner was seen near the house; stays are paused.",
            "{c1.name} came back from a stay upset and would not say why.",
        ],
        "flat": [
            "Stays continue at one night a week.",
            "No change to the rehabilitation timetable.",
        ],
    },
    "words": {
        "worry": "him coming back",
        "good": "my foster family and my dog",
        "dream": "going home but still seeing {net.name}",
        "worry_teen": "it all going wrong again",
        "good_teen": "my grades, and {net.name}",
        "dream_teen": "going home and it actually being fine",
    },
    "analysis": {
        "up": "The rehabilitation plan is working; {a1.name} has made real changes.",
        "down": "The risk from the former partner has returned; the plan must pause.",
        "flat": "Slow but steady; {c1.name}'s pace is right.",
    },
    "summary_next": "Looked after review; decide on return date; school safety plan.",
    "notes": [
        (
            "home_visit",
            "Statutory visit to {net.name}'s. Saw {c1.name} alone; settled and looking "
            "forward to the weekend at home.",
        ),
        ("phone", "{a1.name} rang after the overnight stay: went well, {c1.name} helped cook tea."),
        ("school_nursery", "Met {c1.name} at school: doing well, chosen for the school council."),
    ],
}
