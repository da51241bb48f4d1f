"""Scenario texts for the demo families (part 1 of 2). Fictional; plain language.

Placeholders are filled per family with str.format: {c1}/{c2} children, {a1}/{a2} adults, {net} the
family's main support person, {kids} the children's names, {sw} the social worker's first name and
{school} the children's school. People have .name, .she/.She, .their/.Their, .them and .rel
("mum", "dad", "nan"...). Subject pronouns are only followed by verbs that do not change with the
pronoun (had, said, will, can, was/were avoided).

Each goal is (text, index of its danger statement or None, [(what, who, by: working days after the
plan starts)]).
"""

from __future__ import annotations

ARCHETYPES_A: dict[str, dict] = {}

ARCHETYPES_A["alcohol_neglect"] = {
    "why": (
        "We became involved when {school} told us {c1.name} was often hungry and tired in class and "
        "had twice not been collected at the end of the day. {a1.name} told us {a1.she} had been "
        "drinking most evenings after a very hard year, and that on those evenings {a1.she} sometimes "
        "fell asleep before the children had eaten."
    ),
    "harm": [
        "{c1.name} was not collected from school twice in one month and waited with staff until 5pm.",
        "{c1.name} has gone to school without breakfast on many days this term.",
        "One evening {kids} were on their own at home while {a1.name} was asleep after drinking.",
    ],
    "complicating": [
        "{a1.name} feels judged by professionals and has missed appointments with the alcohol service.",
        "Money is tight and the electricity meter has run out more than once.",
    ],
    "strengths": [
        "{a1.name} loves the children and wants to be the parent {a1.she} used to be.",
        "{c1.name} has good friends at school and enjoys the after-school club.",
        "{net.name} lives ten minutes away and sees the children most weekends.",
    ],
    "safety": [
        "{net.name} has collected the children from school on days {a1.name} could not.",
        "{a1.name} has rung {net.name} on evenings when {a1.she} had been drinking, so a sober adult was there.",
        "{a1.name} has started going to the alcohol service and kept the last three appointments.",
    ],
    "next_steps": [
        "{a1.name} to keep going to the alcohol service every week.",
        "Build a safety network of at least three people who know the plan.",
        "School to tell {sw} the same day if no one collects the children.",
    ],
    "dangers": [
        {
            "who": "{sw}, {school} and {net.name}",
            "about": "{a1.name} will drink so much in the evenings that {a1.she} cannot look after "
            "{kids}, so they go without food, are not collected or are alone at night",
            "if_nothing": "{kids} could be hurt at home with no adult able to help, and will keep "
            "going to school hungry and worried about {a1.name}.",
            "parents_will": "{a1.name} will stay sober whenever {a1.she} is looking after the children "
            "and will ring {net.name} if {a1.she} has had a drink.",
            "child": "{kids} will have a meal every evening, be collected on time and know which "
            "grown-up to call if {a1.name} is unwell.",
            "prof": "School will see the children arriving fed and on time; the alcohol service will "
            "say {a1.name} keeps appointments.",
            "how_long": "Six months",
        }
    ],
    "family_words": (
        "I want the kids to come home to a warm house and a proper tea. I don't want {c1.name} "
        "worrying about me any more."
    ),
    "goals": [
        (
            "{a1.name} will be sober and able to care for the children every evening.",
            0,
            [
                ("Go to the alcohol service every week", "{a1.name}", 10),
                (
                    "Ring {net.name} straight away after any drink while the children are home",
                    "{a1.name}",
                    5,
                ),
                ("Phone {a1.name} twice a week to see how things are going", "{sw}", 20),
            ],
        ),
        (
            "{kids} will be collected on time and start the day with breakfast.",
            None,
            [
                ("Offer {c1.name} a breakfast club place", "{school}", 10),
                ("Be the back-up for school collections", "{net.name}", 5),
                ("Help with a food bank referral and the electricity debt", "{sw}", 15),
            ],
        ),
    ],
    "contingency": (
        "If {a1.name} is drinking while caring for the children, {net.name} will take them to stay "
        "with {net.them} and {sw} will be told the same day. If the plan is not working by the review, "
        "we will talk with the family about the children living with {net.name} for a while."
    ),
    "changed": {
        "up": [
            "{a1.name} has started at the alcohol service and has been to every appointment but one. "
            "School say {c1.name} is arriving on time most days.",
            "{a1.name} has been sober for most of the last six weeks, with one lapse that {a1.she} told "
            "us about straight away. {net.name} stepped in that evening, as the plan says.",
        ],
        "down": [
            "{a1.name} has missed three appointments at the alcohol service. School have again "
            "reported {c1.name} arriving hungry.",
            "There have been two evenings when neighbours heard the children on their own. {a1.name} "
            "says {a1.she} is coping, but what we see does not show that.",
        ],
        "flat": [
            "Things are much the same. {a1.name} goes to some appointments and not others; school "
            "report good weeks and bad weeks.",
            "There has been no crisis, but no lasting change either. The safety network is still "
            "only {net.name}.",
        ],
    },
    "words": {
        "worry": "when {a1.rel} is asleep and I am hungry",
        "good": "football and Sunday dinner at {net.name}'s",
        "dream": "{a1.rel} being happy and not poorly",
        "worry_teen": "I have to check on {a1.rel} before I go out. I can't relax",
        "good_teen": "{a1.rel} has been better lately, we watched a film together",
        "dream_teen": "to just be normal and not be the one in charge",
    },
    "analysis": {
        "up": "The change is real but new. {a1.name} is using the plan and telling us the truth about "
        "lapses, which is the most important safety sign. The children still need a wider network "
        "than {net.name} alone before we can step down.",
        "down": "I am more worried than at the last summary. The plan relies on {a1.name} ringing "
        "{net.name}, and that has not happened on the evenings that mattered. If this continues we "
        "will need to discuss legal advice at the next review.",
        "flat": "The children are no less safe than before, but no safer. The plan needs a change: "
        "more people in the safety network and a clearer routine on school days.",
    },
    "summary_next": "Keep the weekly alcohol service appointments; hold a family network meeting to "
    "widen the safety network; re-scale with everyone at the next core group.",
    "notes": [
        (
            "home_visit",
            "Visit after school. Tea was cooking when I arrived. {a1.name} sober and relaxed. "
            "Saw {c1.name}'s room: bed made, clean clothes in drawers.",
        ),
        (
            "school_nursery",
            "Met {c1.name} at {school}. Class teacher says {c1.name} ate breakfast at "
            "club every day this week and was collected on time.",
        ),
        (
            "phone",
            "{net.name} rang: collected the children on Tuesday as {a1.name} had an appointment. "
            "No concerns.",
        ),
        (
            "home_visit",
            "Unannounced visit 5pm. {a1.name} had not been drinking. Children eating tea. "
            "Talked about the weekend plan with {net.name}.",
        ),
    ],
}

ARCHETYPES_A["domestic_abuse"] = {
    "why": (
        "Police came to the family home twice in three months after {a2.name} shouted at and pushed "
        "{a1.name} during arguments. {kids} were in the house both times; {c1.name} hid upstairs and "
        "later told a teacher {c1.she} was scared. {a2.name} has now moved out, and contact with the "
        "children is agreed through the plan."
    ),
    "harm": [
        "{a2.name} pushed {a1.name} into a door while {c1.name} watched from the stairs.",
        "{c1.name} has wet the bed and been frightened of loud voices since the last incident.",
    ],
    "complicating": [
        "{a1.name} still loves {a2.name} and has let {a2.name} into the house when drunk.",
        "{a2.name} does not accept that the arguments affect the children.",
        "The family have no car and the refuge outreach service is across town.",
    ],
    "strengths": [
        "{a1.name} has kept {kids} in the same school throughout and their attendance is good.",
        "{a2.name} has started on a domestic abuse perpetrator programme.",
        "{c1.name} talks openly with {c1.their} teacher, who is a trusted adult.",
    ],
    "safety": [
        "{a1.name} called the police when {a2.name} turned up drunk and did not let {a2.them} in.",
        "{a1.name} has a safety plan with the outreach worker and a code word with {net.name}.",
        "{a2.name}'s time with the children has taken place at {net.name}'s home as agreed.",
    ],
    "next_steps": [
        "{a2.name} to finish the perpetrator programme and share the report.",
        "{a1.name} to keep working with the outreach worker.",
        "{sw} to do direct work with {c1.name} about feelings and keeping safe.",
    ],
    "dangers": [
        {
            "who": "{sw}, the police and {school}",
            "about": "{a2.name} will shout at, threaten or hurt {a1.name} when the children are "
            "there, or that {kids} will be caught up in the fight",
            "if_nothing": "{kids} could be physically hurt, will keep living in fear at home and "
            "may learn that this is how people who love each other behave.",
            "parents_will": "{a2.name} will sort out disagreements calmly or walk away, and {a1.name} "
            "will keep using {a1.their} safety plan if {a2.name} arrives angry or drunk.",
            "child": "{kids} will feel safe at home, sleep well and see their parents talk to each "
            "other respectfully.",
            "prof": "No police call-outs; school will see {c1.name} settled; the programme will report "
            "{a2.name} is using what {a2.she} has learned.",
            "how_long": "Six months",
        },
        {
            "who": "{sw} and {a1.name}",
            "about": "{a2.name} will come to the house drunk and angry, outside the agreed times",
            "if_nothing": "the children will see more frightening arguments and may be hurt by "
            "accident.",
            "parents_will": "{a2.name} will only see the children at {net.name}'s and only when sober.",
            "child": "{kids} will know when they will see {a2.name} and that it will be calm.",
            "prof": "{net.name} will confirm every visit went as planned.",
            "how_long": "Three months",
        },
    ],
    "family_words": (
        "I want a calm house where the kids aren't listening out for the door. We can still both be "
        "their parents, just not like before."
    ),
    "goals": [
        (
            "Home will be calm and the children will not see or hear fighting.",
            0,
            [
                ("Complete the perpetrator programme", "{a2.name}", 40),
                ("Meet the outreach worker every fortnight", "{a1.name}", 10),
                ("Share the code word and what to do with the school", "{a1.name}", 5),
            ],
        ),
        (
            "{a2.name} will see the children safely and when agreed.",
            1,
            [
                ("Host family time on Saturdays and tell {sw} how it went", "{net.name}", 5),
                ("Only come to the house when invited and sober", "{a2.name}", 0),
            ],
        ),
        (
            "{c1.name} will understand what happened and that it was not {c1.their} fault.",
            None,
            [
                ("Do four direct work sessions with {c1.name} about feelings", "{sw}", 30),
                ("Check in weekly with {c1.name} at school", "{school}", 10),
            ],
        ),
    ],
    "contingency": (
        "If there is another incident at home, {a1.name} will call the police and go to {net.name}'s "
        "with the children. {a2.name}'s time with the children will stop until the core group meets. "
        "If the children are still seeing violence at review, we will take legal advice."
    ),
    "changed": {
        "up": [
            "There have been no police call-outs since the conference. {a2.name} has been to six of "
            "ten programme sessions. Family time at {net.name}'s has gone well.",
            "{a2.name} has finished the programme and the report is positive. {c1.name} is sleeping "
            "through the night and no longer wets the bed.",
        ],
        "down": [
            "{a2.name} came to the house drunk one night; {a1.name} let {a2.them} in. The children "
            "heard shouting. {a1.name} did not tell us; the school did.",
            "{a2.name} has stopped going to the programme. {c1.name} told {c1.their} teacher that "
            "{a1.rel} cries a lot and that {c1.she} does not want to go home on Fridays.",
        ],
        "flat": [
            "No new incidents have been reported, but {a2.name} has missed some family time and "
            "some programme sessions.",
            "The situation is calm on the surface. {a1.name} is not always sure about keeping to the "
            "agreement with {a2.name}.",
        ],
    },
    "words": {
        "worry": "when {a2.rel} shouts and bangs the door",
        "good": "Saturdays at {net.name}'s with {a2.rel}",
        "dream": "everyone being kind in my house",
        "worry_teen": "I still listen for the door at night, it's like a habit",
        "good_teen": "it's been quiet, I can actually do my homework",
        "dream_teen": "{a1.rel} and {a2.rel} being able to be in the same room without it kicking off",
    },
    "analysis": {
        "up": "The children are safer: the arrangement for family time is working, {a1.name} is using "
        "{a1.their} safety plan and {a2.name} is taking responsibility. We need to see this last "
        "through a stressful time, such as the holidays, before stepping down.",
        "down": "The danger statement is as true now as at conference. Both parents are minimising "
        "what happened, which leaves the children without a protective adult at the moment it "
        "matters. I have asked my manager to discuss legal planning.",
        "flat": "Without new incidents the plan looks like it is working, but the changes depend on "
        "{a2.name} staying away rather than behaving differently. That is not yet enough safety.",
    },
    "summary_next": "Direct work with {c1.name} to continue; review family time with {net.name}; "
    "ask the programme for a progress report before the review conference.",
    "notes": [
        (
            "home_visit",
            "Home visit. Saw {c1.name} alone in {c1.their} bedroom; said things are "
            '"quiet and good". {a1.name} says {a2.name} has kept to Saturdays only.',
        ),
        (
            "phone",
            "Call from {net.name}: Saturday family time went well, {a2.name} sober and on time, "
            "children happy to go home.",
        ),
        (
            "school_nursery",
            "Saw {c1.name} at {school} with the learning mentor. Did feelings cards "
            'together; picked "calm" for home this week.',
        ),
        (
            "phone",
            "Spoke with {a2.name} by phone. Confirmed attendance at programme this week. "
            "Reminded about the agreement not to visit the house.",
        ),
    ],
}

ARCHETYPES_A["mental_health"] = {
    "why": (
        "{a1.name} has had long periods of very low mood. At those times {a1.she} stays in bed, the "
        "house gets very untidy and {c1.name} does much of the cooking and looking after. {school} "
        "noticed {c1.name} was missing school to stay home with {a1.name}."
    ),
    "harm": [
        "{c1.name} has missed 19 days of school this term, mostly to stay with {a1.name}.",
        "The children missed two dentist and one hospital appointment.",
    ],
    "complicating": [
        "{a1.name} has been waiting four months for talking therapy.",
        "{a1.name} worries that asking for help will mean the children are taken away.",
    ],
    "strengths": [
        "{a1.name} is honest about how {a1.she} feels and has asked for help.",
        "{c1.name} and the younger children are very close and look out for each other.",
        "{net.name} is willing to help with school runs two mornings a week.",
    ],
    "safety": [
        "{a1.name} has seen the GP and is taking medication as prescribed.",
        "On bad days {a1.name} has rung {net.name} to take the children to school.",
    ],
    "next_steps": [
        "GP to chase the talking therapy referral.",
        "Young carers service to offer {c1.name} a group.",
        "Agree a simple plan for bad days that everyone knows.",
    ],
    "dangers": [
        {
            "who": "{sw} and {school}",
            "about": "when {a1.name} is very low, nobody will make sure the children get to school, "
            "eat properly and go to health appointments, and {c1.name} will carry it all",
            "if_nothing": "{c1.name} will fall behind at school and lose {c1.their} childhood to "
            "caring, and the younger children will miss out on health care.",
            "parents_will": "{a1.name} will use the bad-day plan and ask {net.name} for help early.",
            "child": "{c1.name} will go to school every day and have time for friends and clubs.",
            "prof": "School attendance above 95%; health appointments kept; {c1.name} at young carers.",
            "how_long": "Three months",
        }
    ],
    "family_words": (
        "Some days I can't get up and I hate that {c1.name} has to do it all. I want help for me so "
        "{c1.name} can just be a kid."
    ),
    "goals": [
        (
            "{c1.name} will be at school every day and not have to look after the family.",
            0,
            [
                ("Refer {c1.name} to the young carers group", "{sw}", 10),
                ("Do the school run on Mondays and Thursdays", "{net.name}", 5),
                ("Ring {sw} if {c1.name} is absent without a reason", "{school}", 5),
            ],
        ),
        (
            "{a1.name} will get treatment for {a1.their} low mood.",
            None,
            [
                ("Keep taking medication and see the GP monthly", "{a1.name}", 20),
                ("Write to the therapy service about the waiting time", "GP", 15),
            ],
        ),
    ],
    "contingency": (
        "If {a1.name} cannot get up for more than two days, {net.name} will stay over and {sw} will "
        "arrange extra support. If {c1.name} misses school again, we will meet within a week."
    ),
    "changed": {
        "up": [
            "{a1.name} has started medication and feels a bit better. {c1.name} has been at school "
            "every day for three weeks and went to the young carers group.",
            "{a1.name} has started talking therapy. The bad-day plan was used twice and worked.",
        ],
        "down": [
            "{a1.name} stopped the medication because of side effects and has been in bed most days. "
            "{c1.name} missed five days of school.",
            '{c1.name} told school {c1.she} is "too tired for lessons". {net.name} is unwell and '
            "cannot help at the moment.",
        ],
        "flat": [
            "Some good weeks, some bad. The therapy referral is still waiting.",
            "Attendance is a little better but still below 90%.",
        ],
    },
    "words": {
        "worry": "{a1.rel} being sad in bed",
        "good": "making pancakes with {a1.rel}",
        "dream": "{a1.rel} better and going to the park",
        "worry_teen": "if I'm not there who's going to do it",
        "good_teen": "young carers, it's people who get it",
        "dream_teen": "to go on the school trip without feeling guilty",
    },
    "analysis": {
        "up": "{a1.name}'s health is improving and, more importantly, the family now have a plan for "
        "bad days that does not rely on {c1.name}. I think we can consider stepping down after "
        "the next review if this holds.",
        "down": "The plan depends on {a1.name}'s health, and without treatment it is not holding. "
        "{c1.name} is again carrying too much. We need more practical help in the home, not more "
        "meetings.",
        "flat": "Nothing is getting worse, but {c1.name} is still doing more than a child should. "
        "The delay in therapy is the main barrier.",
    },
    "summary_next": "Chase therapy; keep young carers; review the bad-day plan with the whole family.",
    "notes": [
        (
            "home_visit",
            "Visit. {a1.name} up and dressed, house tidier. Talked through the bad-day plan. "
            "{c1.name} at school.",
        ),
        (
            "phone",
            "{school} rang: {c1.name} absent today, no reason given. Rang {a1.name}, who was "
            "unwell; {net.name} took {c1.name} in late.",
        ),
        (
            "home_visit",
            "Saw {c1.name} alone after school. Said {c1.she} enjoyed young carers and "
            "wants to keep going.",
        ),
    ],
}

ARCHETYPES_A["teen_exploitation"] = {
    "why": (
        "{c1.name} has gone missing from home eleven times in three months, sometimes overnight. "
        "{c1.She} has come home with new phones, clothes and cash, and police found {c1.them} in a "
        "flat with older men in another town. {a1.name} has been trying everything and is exhausted."
    ),
    "harm": [
        "{c1.name} was found by police at 3am in a flat with adults not known to the family.",
        "{c1.name} has been excluded from school twice for carrying a knife.",
    ],
    "complicating": [
        "{c1.name} does not see the adults {c1.she} meets as a risk and calls them friends.",
        "{c1.name} has been missing education for most of this term.",
        "The adults involved are not known to the local police.",
    ],
    "strengths": [
        "{a1.name} never gives up on {c1.name} and always reports {c1.them} missing.",
        "{c1.name} is good at boxing and trusts the coach at the club.",
        "{c1.name} always comes home eventually and will talk to {sw} in the car.",
    ],
    "safety": [
        "{a1.name} has reported every missing episode straight away.",
        "{c1.name} has kept {c1.their} phone on so {a1.name} can reach {c1.them}.",
    ],
    "next_steps": [
        "Exploitation team to offer {c1.name} a youth worker.",
        "Disruption plan with police for the addresses known.",
        "Education placement with more one-to-one support.",
    ],
    "dangers": [
        {
            "who": "{sw}, the police and {a1.name}",
            "about": "{c1.name} will be groomed and used by older people to carry drugs or money, "
            "and will go missing to be with them",
            "if_nothing": "{c1.name} could be seriously hurt, sexually exploited or arrested, and "
            "will lose {c1.their} education and the people who care about {c1.them}.",
            "parents_will": "{a1.name} will keep reporting missing episodes and use the agreed "
            "curfew and check-ins.",
            "child": "{c1.name} will be home every night, in education and know who is safe to be "
            "around.",
            "prof": "No missing episodes for three months; attendance at the education placement; "
            "police intelligence shows no contact with the adults.",
            "how_long": "Three months",
        }
    ],
    "family_words": (
        "I just want my {c1.boy} home at night. I'll do whatever it takes, I just need people to help "
        "me do it."
    ),
    "goals": [
        (
            "{c1.name} will be home every night and not go missing.",
            0,
            [
                ("Report every missing episode within an hour", "{a1.name}", 0),
                ("Weekly sessions with the youth worker", "Exploitation team", 10),
                ("Return home interview after every missing episode", "{sw}", 5),
            ],
        ),
        (
            "{c1.name} will be back in education.",
            None,
            [
                ("Find an education placement", "Education welfare officer", 20),
                ("Boxing three times a week", "{c1.name}", 5),
            ],
        ),
    ],
    "contingency": (
        "If {c1.name} goes missing more than twice in a month, the strategy group will meet within "
        "three days. If {c1.name} cannot be kept safe at home, we will talk with {a1.name} about a "
        "placement away from the area."
    ),
    "changed": {
        "up": [
            "{c1.name} went missing twice this period, down from six. {c1.She} has met the youth worker "
            "every week.",
            "No missing episodes for five weeks. {c1.name} started at the education placement.",
        ],
        "down": [
            "{c1.name} went missing seven times this period and was found in another town twice.",
            "{c1.name} was arrested with a large amount of cash. {a1.name} says {a1.she} cannot cope.",
        ],
        "flat": [
            "Missing episodes are less frequent but longer.",
            "{c1.name} sees the youth worker but still has contact with the same adults.",
        ],
    },
    "words": {
        "worry": "people I don't know coming to the house",
        "good": "my big brother making me laugh",
        "dream": "everyone at home at teatime",
        "worry_teen": "people keep going on about it, I'm fine, I know what I'm doing",
        "good_teen": "boxing, coach says I can compete",
        "dream_teen": "have my own money, proper money, legal",
    },
    "analysis": {
        "up": "The combination of the youth worker and boxing is giving {c1.name} something to say "
        "yes to. The adults have not gone away, so the risk remains high, but {c1.name} is starting "
        "to tell us when {c1.she} is contacted.",
        "down": "The risk to {c1.name} is increasing and the plan is not reducing it. {a1.name} "
        "cannot keep {c1.name} safe alone. I will ask for a strategy meeting this week.",
        "flat": "The pattern has changed but not the risk. We need to understand who {c1.name} is "
        "meeting and why; the youth worker is best placed to do that.",
    },
    "summary_next": "Strategy meeting; keep return home interviews; education placement start date.",
    "notes": [
        (
            "other",
            "Return home interview in the car. {c1.name} said {c1.she} stayed at a friend's, "
            "would not say where. No injuries seen.",
        ),
        (
            "phone",
            "{a1.name} rang: {c1.name} out last night and not answering. Advised to report "
            "missing to police; done. {c1.name} home in the early hours.",
        ),
        (
            "home_visit",
            "Saw {c1.name} alone in {c1.their} room. Talked about boxing and the new "
            "placement. Calm and chatty.",
        ),
        (
            "family_meeting",
            "Strategy meeting with police, school and youth worker. Addresses shared; "
            "disruption plan agreed.",
        ),
    ],
}

ARCHETYPES_A["infant_injury"] = {
    "why": (
        "{c1.name}, who was {c1.age_text} old, was taken to hospital with bruising to {c1.their} face "
        "and arm. Doctors said the bruising was not likely to be accidental. Neither parent could "
        "explain how it happened. {c1.name} went home with {a1.name} and {a2.name} under a safety plan "
        "supervised by {net.name}."
    ),
    "harm": [
        "{c1.name} had bruising to {c1.their} cheek and upper arm that doctors said was likely caused "
        "by an adult's grip.",
    ],
    "complicating": [
        "Neither parent can explain the bruising.",
        "{a2.name} works nights and is often very tired when caring for {c1.name}.",
        "The family are new to the area and have not registered with a GP.",
    ],
    "strengths": [
        "{a1.name} and {a2.name} took {c1.name} to hospital straight away.",
        "Both parents have been open with professionals and agreed to the safety plan.",
        "{net.name} has moved in to supervise care for the first weeks.",
    ],
    "safety": [
        "{net.name} has been present whenever {c1.name} is cared for, 24 hours a day.",
        "The health visitor has seen {c1.name} weekly with no new marks.",
    ],
    "next_steps": [
        "Parents to attend a baby-crying course.",
        "Widen the safety network so {net.name} can step back gradually.",
        "Register with a GP and keep all health checks.",
    ],
    "dangers": [
        {
            "who": "The hospital doctors, {sw} and the health visitor",
            "about": "{c1.name} will be hurt again by an adult caring for {c1.them}, because we do not "
            "know how {c1.name} was injured",
            "if_nothing": "{c1.name} could suffer a serious or life-changing injury.",
            "parents_will": "{a1.name} and {a2.name} will never care for {c1.name} when tired or "
            "stressed without another adult from the network there.",
            "child": "{c1.name} will be handled gently, fed and settled, and will grow and develop "
            "well.",
            "prof": "No marks on weekly health visitor checks; the network shows the plan is used.",
            "how_long": "Six months",
        }
    ],
    "family_words": (
        "We still don't know what happened and we hate that. We'll do everything on the plan because "
        "we want {c1.name} to be safe and home with us."
    ),
    "goals": [
        (
            "{c1.name} will always be cared for by a calm adult the network trusts.",
            0,
            [
                ("Supervise all care at home", "{net.name}", 0),
                ("Weekly weight and skin check", "Health visitor", 5),
                ("Write the safety plan in words everyone understands", "{sw}", 5),
                ("Go to the baby-crying course", "{a1.name} and {a2.name}", 25),
            ],
        ),
        (
            "The family will have a network of at least four people.",
            None,
            [
                ("Hold a family network meeting", "{sw}", 15),
                ("Invite two friends to join the network", "{a1.name}", 15),
            ],
        ),
    ],
    "contingency": (
        "If any new mark is found on {c1.name}, the family will go straight to hospital and a "
        "strategy discussion will be held. If the supervision stops, {c1.name} will stay with "
        "{net.name} until the network meets."
    ),
    "changed": {
        "up": [
            "Supervision has been kept in full. {c1.name} is gaining weight and no new marks have "
            "been seen. Both parents finished the course.",
            "The network has grown to five people. {net.name} now stays three nights a week, as "
            "agreed at the core group.",
        ],
        "down": [
            "On one visit {net.name} was not there and {a2.name} was alone with {c1.name}.",
            "The parents are frustrated with the plan and want supervision to end now.",
        ],
        "flat": [
            "Supervision is in place but the network is still only {net.name}.",
            "Health checks are fine, but the parents have not engaged with understanding what happened.",
        ],
    },
    "words": {
        "worry": "{c1.name} crying at night",
        "good": "holding {c1.name} on the sofa",
        "dream": "a big birthday party for {c1.name}",
        "worry_teen": "the baby getting hurt",
        "good_teen": "having the baby home",
        "dream_teen": "things being normal",
    },
    "analysis": {
        "up": "The parents have used every part of the plan and {c1.name} is thriving. We still do "
        "not know what happened, so safety rests on the network. It is now broad enough to reduce "
        "supervision step by step.",
        "down": "A gap in supervision with an unexplained injury still unresolved is serious. The "
        "parents' frustration is understandable, but the plan cannot be relaxed.",
        "flat": "{c1.name} is safe while supervision lasts, but that cannot last for ever. The "
        "network must grow before we change anything.",
    },
    "summary_next": "Family network meeting; plan for reducing supervision in stages; keep weekly health checks.",
    "notes": [
        (
            "home_visit",
            "Visit. {net.name}, {a1.name} and {c1.name} at home. Saw {c1.name} undressed "
            "for the weight check with the health visitor: no marks.",
        ),
        (
            "home_visit",
            "Unannounced visit. {net.name} present as agreed. {c1.name} settled, feeding "
            "well. Cot and sleeping area safe.",
        ),
        ("phone", "Health visitor: weight on the 50th centile, no concerns."),
    ],
}

ARCHETYPES_A["attendance_home"] = {
    "why": (
        "{school} asked for Early Help because {c1.name}'s attendance dropped to 78% and {c1.she} was "
        "often late and in the same clothes. {a1.name} works two jobs and says mornings have become "
        "chaotic since {a1.their} partner left."
    ),
    "harm": [
        "{c1.name} has missed a lot of learning and is behind in reading.",
    ],
    "complicating": [
        "{a1.name}'s shifts start at 6am three days a week.",
        "The washing machine broke and there is no money to replace it.",
    ],
    "strengths": [
        "{a1.name} wants {c1.name} to do well and came to the school meeting on time.",
        "{c1.name} loves art and is proud of {c1.their} drawings.",
        "{net.name} has offered to help in the mornings.",
    ],
    "safety": [
        "The children are never left alone; a neighbour walks them to school on early shift days.",
    ],
    "next_steps": [
        "Apply for a grant for a washing machine.",
        "Morning routine chart made with the children.",
        "Breakfast club place.",
    ],
    "dangers": [
        {
            "who": "{school} and the family support worker",
            "about": "{c1.name} will keep missing school and arriving unready to learn",
            "if_nothing": "{c1.name} will fall further behind and start to feel school is not for "
            "{c1.them}.",
            "parents_will": "{a1.name} will keep a morning routine with help from {net.name}.",
            "child": "{c1.name} will get to school on time, clean and fed, most days.",
            "prof": "Attendance above 95% and reading catching up.",
            "how_long": "One term",
        }
    ],
    "family_words": "Mornings are a nightmare. I want us out of the door on time without shouting.",
    "goals": [
        (
            "{kids} will get to school on time every day.",
            0,
            [
                ("Walk the children to school on early shifts", "{net.name}", 5),
                ("Make a morning routine chart with the children", "{sw}", 5),
                ("Breakfast club place", "{school}", 10),
            ],
        ),
        (
            "The house will have what it needs for clean clothes.",
            None,
            [("Apply for a household support grant", "{sw}", 10)],
        ),
    ],
    "contingency": (
        "If attendance does not improve by half term, we will meet with the education welfare "
        "officer and look again at {a1.name}'s shift pattern."
    ),
    "changed": {
        "up": [
            "Attendance is up to 93% this half term. The washing machine grant came through.",
            "{c1.name} has been on time every day for four weeks and has moved up a reading group.",
        ],
        "down": [
            "Attendance has dropped again after {net.name} became unable to help.",
            "{c1.name} was late eight times this month.",
        ],
        "flat": ["Attendance is steady at about 88%.", "Good and bad weeks; no clear pattern."],
    },
    "words": {
        "worry": "getting told off for being late",
        "good": "art club and my drawings",
        "dream": "being an artist",
        "worry_teen": "walking in late when everyone looks",
        "good_teen": "art, and {net.name}'s lifts",
        "dream_teen": "to go to college",
    },
    "analysis": {
        "up": "The practical help has made the difference. The family do not need statutory help; "
        "Early Help can close once attendance holds for a full term.",
        "down": "The plan leaned too much on {net.name}. We need another morning option.",
        "flat": "Better than before, but not yet good enough for {c1.name}'s learning.",
    },
    "summary_next": "Review attendance at half term; plan closure if it stays above 95%.",
    "notes": [
        (
            "school_nursery",
            "Met {c1.name} in school. Attendance 94% this half term. Showed me {c1.their} "
            "art project.",
        ),
        (
            "home_visit",
            "Early morning visit before school. Children dressed and eating breakfast; routine chart "
            "on the fridge.",
        ),
        ("phone", "Rang {a1.name} about the grant application; form signed and sent."),
    ],
}
