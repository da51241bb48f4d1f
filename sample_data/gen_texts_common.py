"""Texts shared by every demo family: contact notes, children's voice, scaling reasons, managers'
comments, observation feedback and manual recording notes. Placeholders as in gen_texts_a, plus {c}
(the child the line is about) and {a} (the adult present)."""

from __future__ import annotations

#: Short factual lines for the contact log, by contact kind. Each stays well under 280 characters.
NOTES: dict[str, list[str]] = {
    "home_visit": [
        "Home visit. Saw {c.name} with {a.name}. House warm, food in the cupboards. Talked through "
        "the plan actions for this week.",
        "Home visit. {a.name} said mornings are easier. Saw {c.name}'s bedroom: clean bedding, toys "
        "out. No concerns seen.",
        'Home visit. Saw {c.name} alone in {c.their} room; said school is "okay" and {c.she} is '
        "looking forward to the weekend.",
        "Home visit. {a.name} tired but coping. Went through the safety plan; {a.name} could say who "
        "to call and when.",
        "Planned visit. {c.name} showed me {c.their} drawings. {a.name} asked about the next core "
        "group; date given.",
    ],
    "school_nursery": [
        "Saw {c.name} at {school}. Staff say {c.she} is settled and attendance is good this half term.",
        "Visited {school}. Saw {c.name} alone in a quiet room; talked about friends and what {c.she} "
        "likes at break.",
        "Met {c.name}'s key worker at {school}. No concerns this week; {c.name} ate well at lunch.",
    ],
    "phone": [
        "Phone call with {a.name}. Confirmed next visit. {a.name} said the week has been calm.",
        "Rang {a.name} to check in. Appointment kept at the GP yesterday.",
        "{a.name} rang to ask about the family network meeting; explained who is invited and why.",
        "Call with {school}: {c.name} in every day this week, no concerns.",
    ],
    "video": [
        "Video call with {a.name} and {c.name}. {c.name} showed me a drawing; talked about the plan.",
        "Video call with {a.name} to go through the plan before the review.",
    ],
    "office": [
        "{a.name} came to the office. Went through the plan and the letters from housing together.",
        "Met {a.name} at the office to prepare for the review; {a.name}'s words added to the plan.",
    ],
    "family_meeting": [
        "Core group meeting. Plan actions reviewed; two done, one slipped. Everyone scaled; next core "
        "group in four weeks.",
        "Family network meeting with {a.name} and family. Agreed who helps on which days; plan updated.",
        "Review meeting. Progress discussed with {a.name}; new review date set.",
    ],
    "other": [
        "Took {c.name} to the dentist with {a.name}. Check-up done; next one in six months.",
        "Supervised family time at the family centre; warm and relaxed; {c.name} happy at the end.",
    ],
}

CONFERENCE_NOTES = {
    "icpc": "Initial child protection conference. Plan agreed under the category of {category}. "
    "{a.name} attended and gave {a.their} views.",
    "rcpc": "Review child protection conference. Progress on the plan discussed; the plan continues. "
    "{a.name} attended.",
    "step_down": "Review conference. Child protection plan ended; stepping down to a Child in Need "
    "plan. {a.name} pleased.",
    "cla": "Looked after review with the independent reviewing officer. Care plan agreed.",
    "eh": "Early Help assessment meeting with {a.name}; agreed what help the family want first "
    "and who will give it.",
    "cin": "Child in Need meeting. Plan reviewed with {a.name} and school; next meeting set.",
    "mapping": "Mapping meeting with {a.name} and the network. Worries, strengths and next steps "
    "written up together; everyone scaled.",
}

#: Each child's voice, by age band; {worry}/{good}/{dream} come from the family's scenario.
VOICE = {
    "baby": (
        "{c.name} is {c.age_text} old. On every visit {c.she} has been clean and alert; I saw "
        "{a1.name} feed and settle {c.them} and respond quickly when {c.she} cried. {c.name} is too "
        "young to tell us about home, so we watch how {c.she} is cared for."
    ),
    "young": (
        "{c.name} ({c.age}) is too young for the three houses, so I played with {c.them} on each "
        "visit. {c.She} went to {a1.name} for comfort when {c.she} bumped {c.their} knee, which is "
        'good to see. {c.name} told me {c.she} likes "{good}".'
    ),
    "middle": (
        "{c.name} ({c.age}) did the three houses with me, on {c.their} own. In the house of worries "
        '{c.she} wrote "{worry}". In the house of good things: "{good}". In the house of dreams: '
        '"{dream}".'
    ),
    "teen": (
        '{c.name} ({c.age}) prefers to talk in the car or on a walk. {c.She} told me: "{worry_teen}". '
        '{c.She} said the best thing at the moment is "{good_teen}", and what {c.she} wants is '
        '"{dream_teen}".'
    ),
}

VOICE_SINCE = {
    "up": " Since the last summary {c.name} has seemed more relaxed and laughed a lot on visits.",
    "down": " Since the last summary {c.name} has been quieter and did not want to talk about home.",
    "flat": " {c.name} seemed much the same as last time.",
}

#: Why people gave the score they did, by the kind of person and where things are heading.
REASONS = {
    "parent": {
        "up": [
            "Things are calmer and I've kept every appointment. Not a 10 because I still have bad days.",
            "I've done what the plan says and the kids can see it. I know there's still a way to go.",
            "Better than last time. The network is helping and I'm asking for help sooner.",
        ],
        "down": [
            "I know I slipped this month. I'm still trying but it's hard.",
            "It's been a bad few weeks. I don't think you see how hard I'm working though.",
        ],
        "flat": [
            "About the same. Some good weeks, some bad.",
            "Nothing's really changed since the last meeting.",
        ],
    },
    "child": {
        "up": [
            "Home is more fun now and there is less shouting.",
            "It's better. I'm not worried as much.",
        ],
        "down": [
            "It's not very good at home at the moment.",
            "I don't want to say. It's been bad.",
        ],
        "flat": ["It's okay. Same as before.", "Some days good, some days bad."],
    },
    "worker": {
        "up": [
            "The safety plan is being used and the network has stepped in when needed. Not higher "
            "yet because the change has only lasted a few weeks.",
            "Most actions are done and what we see on visits matches what the family tell us.",
            "Clear progress against the safety goal; I want to see it hold through the holidays.",
        ],
        "down": [
            "Missed visits and new worries from school. The safety network was not used when it "
            "mattered.",
            "The danger statement is as true now as at the start; the plan is not changing things.",
        ],
        "flat": [
            "No new incidents, but also no real change in what the children experience.",
            "The plan is in place but relies on one person; too fragile to move up.",
        ],
    },
    "professional": {
        "up": [
            "Attendance is up and the children seem settled in class.",
            "Health checks are good and appointments are being kept.",
        ],
        "down": [
            "We have seen the children arriving tired and hungry again.",
            "Appointments have been missed and we are worried.",
        ],
        "flat": ["Much the same as before from what we see.", "No change at our end."],
    },
    "relative": {
        "up": [
            "I can see the difference. I'm not getting the worried phone calls any more.",
            "They're doing really well. I'm proud of them.",
        ],
        "down": ["I'm worried. I've had to step in more than before."],
        "flat": ["Steady. I'm there if they need me."],
    },
}

PARENT_ANCHORS = (
    "Things are at their worst and the children can't be with me.",
    "I'm the parent I always wanted to be and nobody needs to worry.",
)
CHILD_ANCHORS = (
    "Home feels really bad and not safe.",
    "Home feels safe and happy all the time.",
)

#: (manager's comment when returning a summary, section the practitioner then adds to, the addition)
RETURN_COMMENTS = [
    (
        "Please say more about how {c2.name} sees the changes at home; at the moment it is one "
        "quote. Also say which plan actions have slipped and why.",
        "children_voice",
        " After the manager's comment I spent time with {c2.name} on {c2.their} own. {c2.name} said "
        'home is "{home_now}" and that the one thing {c2.she} would change is "{dream}".',
    ),
    (
        "The analysis repeats what has changed. Please say what the scaling tells us and why you "
        "are not more (or less) worried.",
        "analysis",
        " The scores have moved together, and the family's scores are close to the professionals'. "
        "That agreement is itself a sign that everyone sees the same picture.",
    ),
    (
        "Next steps need names and dates so the family know who is doing what. Please add them.",
        "next_steps",
        " {sw} will arrange the network meeting within two weeks; {a1.name} will invite two people; "
        "{school} will send the attendance figures before the review.",
    ),
]

FEEDBACK_STRENGTHS = [
    "You were warm and unhurried, and {a1.name} relaxed quickly. You named the worry clearly without "
    "blame and kept coming back to what {c1.name} experiences.",
    "Excellent use of scaling: you asked what would make it one point higher and let {a1.name} answer "
    "in {a1.their} own words.",
    "You summarised often and checked you had understood. The family clearly trust you.",
    "You held the line on the safety plan while staying kind. Good authority in action.",
]
FEEDBACK_TRY = [
    "Ask one more open question before offering a solution: let {a1.name} come up with the first idea.",
    "Bring {c1.name}'s words into the conversation earlier; you had them and used them only at the end.",
    "When {a1.name} pushes back, try reflecting the feeling before restating the concern.",
    "Slow down at the end of the visit and agree one small next step together.",
]
FEEDBACK_COMMENTS = [
    'Lovely open question here: "what\'s been working this week?"',
    "You named the worry clearly and without blame.",
    "A reflection here might have helped {a1.name} feel heard.",
    "Good use of {c1.name}'s own words.",
    "You jumped to advice; pause and ask first.",
    "Strong summary pulling the plan together.",
    "Here {a1.name} offered change talk; you could have explored it more.",
    "Clear about what needs to happen and why.",
]
REPLIES = [
    "Thank you, this is really helpful. I hadn't noticed how quickly I jump to advice. I'll try "
    "pausing next visit.",
    "I agree about the ending; I was watching the time. I'll plan the end of the visit better.",
    "Good to hear the scaling worked. I was nervous about doing it with {a1.name} there.",
    "Useful. I'll use {c1.name}'s words at the start next time.",
]

HOME_NOW = {
    "up": "a bit better than before",
    "down": "worse at the moment",
    "flat": "about the same",
}

#: A visit that did not happen: the reason a CP child can go unseen.
NO_ANSWER = "Unannounced visit, no answer. Card left asking {a1.name} to ring me today. Rang twice, no reply."

CONSENT_SCOPE = (
    "Audio recording of this visit, listened to only by the practice lead to give feedback to the "
    "social worker. Deleted after 90 days. Can be withdrawn at any time."
)

MANUAL_NOTES = {
    "legacy_system": [
        "Statutory visit form on the old case system",
        "Data return fields for the CP plan",
        "Legacy system closure form",
    ],
    "letters_email": [
        "Letter to family confirming the review",
        "Emails to school and health about the plan",
        "Referral letter to the short breaks team",
    ],
    "court_statement": [
        "Court statement for the next hearing",
        "Pre-proceedings letter before action",
    ],
    "other": ["Chronology update for the legal team", "Panel paper"],
}
