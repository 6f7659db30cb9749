"""The seed corpus: templated sentences, written by this project, that train the first model.

It exists to teach what public data sets teach badly: that naming a group is not hate,
that negating, quoting, rejecting or reporting hate is not hate, that swearing and insulting
referees, landlords or pigeons is not hate, and that hate written without slurs still is:
dehumanising comparisons, calls for harm phrased with "should", hateful questions and opinions,
and disguised spelling ("v3rm1n", "@nimals", "s c u m", "verrrmin", "sc*m").

Every group term turns up in about as many harmless sentences as hateful ones. The functional
suite in ``functional.py`` checks the same behaviours with different sentences and group terms,
and is never trained on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    text: str
    label: int  # 1 hateful, 0 not hateful
    categories: tuple[str, ...]  # category slugs targeted (empty when label 0 or no group)
    # What must stay on one side of a held-out split with this example: its template (sentences filled from
    # one template are alike), its writer, or the group it is about. None: the example stands alone.
    together: str | None = None
    # How much the example counts in training beside the others (a recipe's choice: pipeline.TRAINING_WEIGHTS).
    weight: float = 1.0


CATEGORY_SLUGS = (
    "race",
    "antisemitic",
    "anti-muslim",
    "religion-other",
    "sexual-orientation",
    "disability",
    "transgender",
    "misogyny",
)

# Plural noun phrases only, so every template reads as "<group> are ...".
GROUP_TERMS: dict[str, tuple[str, ...]] = {
    "race": (
        "Black people",
        "Asian people",
        "Pakistanis",
        "Roma",
        "immigrants from Africa",
        "Polish people",
        "Irish Travellers",
        "refugees",
        "asylum seekers",
        "Indian people",
        "Arab people",
        "Turkish people",
    ),
    "antisemitic": (
        "Jews",
        "Jewish people",
        "Jewish families",
        "Orthodox Jews",
        "Jewish students",
        "Hasidic Jews",
        "Jewish men",
        "Jewish women",
    ),
    "anti-muslim": (
        "Muslims",
        "Muslim people",
        "British Muslims",
        "Muslim families",
        "Muslim students",
        "people from the mosque",
        "Muslim men",
        "Muslim girls",
    ),
    "religion-other": (
        "Sikhs",
        "Hindus",
        "Buddhists",
        "Sikh families",
        "Christians",
        "atheists",
        "Sikh men",
        "Hindu people",
    ),
    "sexual-orientation": (
        "gay people",
        "lesbians",
        "bisexual people",
        "gay men",
        "gay couples",
        "same-sex couples",
        "gay women",
        "bisexual men",
        "LGBT people",
    ),
    "disability": (
        "disabled people",
        "wheelchair users",
        "autistic people",
        "blind people",
        "people with learning disabilities",
        "deaf people",
        "people with epilepsy",
        "people with mental health conditions",
    ),
    "transgender": (
        "trans people",
        "trans women",
        "trans men",
        "transgender people",
        "non-binary people",
        "trans teenagers",
        "trans students",
        "genderfluid people",
    ),
    "misogyny": (
        "women",
        "girls",
        "young women",
        "mothers",
        "female MPs",
        "working women",
        "female doctors",
        "teenage girls",
    ),
}

# Each template is filled with a few terms per category, rotating through the list, so every
# group term turns up about as often in hateful sentences as in harmless ones and the model
# cannot learn "mentions Muslims" as a shortcut for "hateful".
TERMS_PER_TEMPLATE = 4

HATEFUL_TEMPLATES = (
    # Dehumanising comparisons.
    "{group} are vermin",
    "{group} are vermin and should be treated like it",
    "{group} are a disease spreading through this country",
    "{group} are animals, nothing more",
    "{group} breed like rats",
    "{group} are parasites living off the rest of us",
    "{group} are a plague on this town",
    "honestly {group} are not even human",
    # Hate often names the group once and then says "they".
    "more {group} moving onto our estate. they are vermin, the lot of them",
    "{group} everywhere you look now. they are a disease",
    # Threats and calls to violence.
    "kill all {group}",
    "if I see any {group} on my street tonight I will batter them",
    "someone needs to torch every house full of {group}",
    "{group} deserve a good kicking, every one of them",
    "we should wipe out {group} once and for all",
    # Exclusion, deportation, removal.
    "{group} should be deported, every last one",
    "{group} should be thrown out of this country",
    "get {group} out of our neighbourhood now",
    # Hateful questions.
    "why do we let {group} live here?",
    "why do we still let {group} anywhere near our kids?",
    # Hateful opinions stated as facts.
    "it is a fact that {group} are all criminals",
    "{group} are naturally stupid, that is just science",
    "everyone knows {group} are dirty and dishonest",
    # Contempt.
    "I can't stand {group}, they make me sick",
    "{group} are disgusting and worthless",
    "the world would be better off without {group}",
    # Calls to harass.
    "find out where these {group} live and make their lives hell",
    "everyone flood the comments of those {group} until they leave",
    "spit at any {group} you see on the bus",
    # Dehumanising without the word "vermin": filth, pests, rot.
    "{group} are scum, every single one",
    "{group} are filth and always will be",
    "{group} are cockroaches, they get into everything",
    "{group} are no better than rats",
    "{group} are an infestation",
    # Calls for harm phrased with "should", "ought to" or "need to".
    "{group} should be shot",
    "{group} need to be put down",
    "someone ought to give {group} a beating they won't forget",
    # Direct threats.
    "I am going to hurt the next {group} I meet",
    "we are coming for you {group}, and we know where you live",
    "any {group} that walk past my house are getting a brick through the window",
    # Questions and opinions that carry the same hate.
    "why should we put up with {group} any longer?",
    "what good have {group} ever done for anyone?",
    "personally I think {group} are evil",
    "unpopular opinion: {group} ruin everything they touch",
    # Exclusion.
    "{group} are not welcome in this town, clear off",
    "ban {group} from our schools",
    # The group named once, then "they".
    "{group} have taken over the park. they are filth",
    "just walked past some {group}. they are a disgrace to humanity",
)

NOT_HATEFUL_TEMPLATES = (
    # Neutral mentions.
    "I live with two {group}",
    "my neighbours are {group}",
    "there is a support group for {group} that meets on Tuesdays",
    "documentary tonight about the history of {group} in Britain",
    # Positive statements.
    "{group} have made this city a better place",
    "proud to stand with {group}",
    "so many brilliant {group} volunteered at the food bank today",
    "{group} are welcome here, always",
    # Counter-speech answering hate.
    "{group} are our neighbours and friends, and hate has no place here",
    "stop spreading lies about {group}, they deserve the same respect as anyone",
    "if you think {group} are the problem, try actually meeting some",
    "attacking {group} is not free speech, it is hate, and I have reported it",
    "why do we let people get away with abusing {group} online?",
    # Quoting hate to condemn it.
    "someone wrote that {group} are vermin and that is disgusting",
    "I saw a post saying {group} should be deported and reported it straight away",
    "a man on the bus shouted that {group} are animals. Vile. Nobody deserves that",
    "screenshots of people calling {group} a disease are going round, please report them",
    # Negated hate.
    "I would never say {group} are vermin",
    "{group} are not a disease, they are people",
    "nobody should ever say {group} deserve to be hurt",
    "it is simply not true that {group} are criminals",
    # News-style reporting of hate crimes.
    "police are appealing for witnesses after an attack on {group} in the town centre",
    "hate crimes against {group} rose last year, new figures show",
    "man charged after threatening {group} outside a community centre",
    "council condemns graffiti targeting {group}",
    # Negated and disowned hate, in the same words as the hateful templates above.
    "{group} are not scum and never have been",
    "it is wrong to say {group} are filth",
    "{group} are not cockroaches, they are human beings",
    "no, {group} should not be shot, what is wrong with you",
    "I don't agree that {group} should be banned from anywhere",
    "I will never believe {group} are evil",
    # Counter-speech that quotes the hate.
    "a man outside the station yelled that {group} should be hanged. I called the police",
    "'{group} are scum' is not an opinion, it is hate. reported",
    "somebody sprayed 'ban {group}' on the school wall and the caretaker scrubbed it off",
    "my gran got a leaflet saying {group} are an infestation. it went straight to the police",
    '"we are coming for you {group}" - this post has been reported to the police',
    # Counter-speech that refers to the hate without quoting it.
    "the hate {group} have to put up with online is shameful",
    "trolls going after {group} again. don't feed them, report them",
    "sick of people picking on {group}",
    "if you abuse {group} in my pub you will be barred",
    # Neutral mentions.
    "the {group} down the road have a new puppy",
    "a report on housing for {group} is out next month",
    "we asked {group} what they thought of the bus changes",
    # Positive statements.
    "{group} are an asset to this town",
    "thank you to the {group} who found my lost dog",
    "{group} are brilliant neighbours",
    "{group} deserve every bit of respect they get",
)

# Tropes that belong to one kind of hatred; generic templates alone would never teach them.
CATEGORY_HATEFUL_TEMPLATES: dict[str, tuple[str, ...]] = {
    "race": (
        "{group} should go back to where they came from",
        "{group} are all thieves and scroungers",
        "{group} are taking over our streets",
        "{group} bring crime wherever they go",
        "{group} are ruining Britain and should be shipped out",
    ),
    "antisemitic": (
        "{group} secretly control the banks and the media",
        "{group} only care about money and power",
        "{group} are behind every war, look it up",
        "the Holocaust never happened, {group} made it up",
        "{group} are puppet masters pulling everyone's strings",
    ),
    "anti-muslim": (
        "{group} are all terrorists waiting to strike",
        "{group} want to take over Britain and force their law on us",
        "{group} are invading our towns and should be stopped",
        "every one of those {group} is a bomber in waiting",
        "{group} are plotting to replace us, wake up",
    ),
    "religion-other": (
        "{group} and their backward beliefs have no place here",
        "{group} are brainwashed fools who should be driven out",
        "nobody wants {group} and their weird rituals in our town",
        "smash up the places where {group} meet",
        "{group} are a cult and should be shut down",
    ),
    "sexual-orientation": (
        "{group} are perverts who should be kept away from children",
        "{group} are sick and need curing",
        "{group} are an abomination",
        "letting kids near {group} turns them wrong",
        "{group} are groomers and should be locked up",
    ),
    "disability": (
        "{group} are a drain on everyone and should be left to rot",
        "{group} are useless burdens on the rest of us",
        "{group} should have been got rid of at birth",
        "{group} are all faking it to scrounge benefits",
        "{group} should be kept indoors where nobody has to look at them",
    ),
    "transgender": (
        "{group} are mentally ill freaks",
        "{group} are predators in disguise",
        "{group} are a danger to everyone and should be hounded out",
        "{group} are deluded and should be forced to stop pretending",
        "{group} are freaks and should be chased out of every changing room",
    ),
    "misogyny": (
        "{group} are only good for cooking and cleaning",
        "{group} should not be allowed to vote",
        "{group} need putting in their place with a slap",
        "{group} are thick and should keep their mouths shut",
        "{group} belong in the kitchen, not in charge",
        "{group} are only good for one thing",
    ),
}

# The same communities' real life, so their festivals and places are not read as hate signals.
CATEGORY_NOT_HATEFUL_TEMPLATES: dict[str, tuple[str, ...]] = {
    "race": (
        "{group} have been part of British life for generations",
        "the festival celebrated the music and food of {group}",
        "new research on the health of {group} in the north west",
        "the food stalls run by {group} are the best thing about the market",
        "{group} shared their stories at the school's history week",
    ),
    "antisemitic": (
        "wishing all {group} a happy Hanukkah",
        "{group} from the synagogue on our road invited us for a Shabbat meal",
        "learning about the history of {group} in the East End",
        "{group} lit the menorah in the square tonight",
        "Rosh Hashanah greetings to {group} across the city",
    ),
    "anti-muslim": (
        "Eid Mubarak to all the {group} in our town",
        "{group} from the local mosque handed out food to rough sleepers",
        "iftar in the park with {group} this evening was lovely",
        "{group} were first on the scene to help after the flood",
        "Ramadan Mubarak to {group} fasting this month",
    ),
    "religion-other": (
        "{group} opened their doors to visitors this weekend",
        "interfaith evening with {group} at the library tonight",
        "{group} in our area raised money for the hospice",
        "{group} hosted an open day with tea and cake",
        "{group} served free meals at the summer fair",
    ),
    "sexual-orientation": (
        "{group} marched at Pride today and the atmosphere was amazing",
        "two of my best mates are {group}",
        "good to see {group} represented on telly",
        "{group} got married at the registry office on Saturday, lovely day",
        "{group} are raising great kids on our street",
    ),
    "disability": (
        "the new lifts mean {group} can finally use the station",
        "{group} deserve accessible venues",
        "great to see {group} competing at the Paralympics",
        "{group} should have the same access to jobs as anyone",
        "{group} led the accessibility review at the council",
    ),
    "transgender": (
        "sending love to {group} on Trans Day of Visibility",
        "{group} just want to get on with their lives",
        "met some lovely {group} at the support group",
        "{group} should be able to get healthcare without waiting years",
        "{group} spoke at the school assembly about being themselves",
    ),
    "misogyny": (
        "brilliant to see {group} taking up football",
        "{group} deserve to feel safe walking home",
        "celebrating {group} in science this International Women's Day",
        "{group} deserve equal pay and equal respect",
        "the council has a new mentoring scheme for {group}",
    ),
}

# Disguised spelling is how posters dodge word filters; the group term is disguised too on
# every other template.
DISGUISED_HATEFUL_TEMPLATES = (
    "{group} are v3rm1n",
    "{group} are v e r m i n",
    "k1ll all {group}",
    "{group} sh0uld be d3p0rted",
    "{group} are a d1s3ase",
    "{group} are p4r4s1tes",
    "{group} are @n1mals",
    "g e t  r i d  of {group}",
    "why d0 we l3t {group} l1ve here",
    "{group} deserve a k1ck1ng",
    "{group} are d i s g u s t i n g",
    "w1pe 0ut {group}",
)

# More disguises: "@" for "a", "0" for "o", asterisks, spaced and repeated letters. Two terms per
# category each, the second one disguised with the look-alike symbols.
LOOKALIKE_HATEFUL_TEMPLATES = (
    "{group} are sc*m",
    "{group} are scummmm",
    "{group} are f i l t h",
    "{group} are r4ts",
    "{group} sh0uld be sh0t",
    "{group} are @nimals, all of them",
    "{group} are an inf3st@tion",
    "{group} are verminnnn",
    "{group} are s u b h u m a n",
    "{group} are f*lth",
    "b@n all {group}",
    "{group} need to be p u t  d o w n",
    "{group} are d1rty p@r@sites",
    "h@ng all {group}",
    "{group} are a d i s e a s e",
    "{group} are verrrmin",
)

# The same disguises in counter-speech and negation, so odd spelling alone is not read as hate.
LOOKALIKE_NOT_HATEFUL_TEMPLATES = (
    "{group} are n0t v e r m i n, grow up",
    "r3ported a p0st calling {group} sc*m",
    "whoever wrote '{group} are @nimals' on the wall needs to be caught",
    "n0b0dy gets to call {group} f i l t h, not on my watch",
    "h@ppy to have {group} as neighbours",
    "s0 proud of the {group} who ran the marathon",
)

# Slurs for each group, in the plural, as posters aim them. Hate carried by a slur is the commonest kind a
# police hub sees and the one public tweet data teaches worst (Davidson et al. label most slur-laden tweets
# "offensive", not hate). The same words appear in the counter-speech templates below as not hateful, so the
# model learns a slur aimed at people, not the word alone. Overlaps the functional suite's slur words (there
# are only so many); its sentences and templates are not used here.
SLUR_TERMS: dict[str, tuple[str, ...]] = {
    "race": ("pakis", "niggers", "wogs", "coons", "chinks", "darkies", "gyppos", "spics", "nignogs"),
    "antisemitic": ("kikes", "yids", "hymies", "heebs", "shylocks"),
    "anti-muslim": ("muzzies", "ragheads", "towelheads", "muzrats", "goat shaggers", "bin liners"),
    "religion-other": ("taigs", "papists", "fenians", "left footers", "prods", "dotheads"),
    "sexual-orientation": ("faggots", "dykes", "poofs", "benders", "batty boys", "queers", "lezzas"),
    "disability": ("retards", "spastics", "mongs", "cripples", "spazzes", "window lickers"),
    "transgender": ("trannies", "troons", "shemales", "he shes", "trannys"),
    "misogyny": ("bitches", "slags", "whores", "sluts", "skanks", "hoes"),
}

SLUR_HATEFUL_TEMPLATES = (
    "{group} everywhere you look now",
    "filthy {group}",
    "get the {group} off our street",
    "my road is crawling with {group}",
    "i can't stand {group}",
    "nothing but {group} round here these days",
    "bloody {group} again",
    "{group} should be kept out",
    "look at these {group}",
    "typical {group}, the lot of them",
    "sick of {group} in this town",
    "who let the {group} in",
)
SLUR_NOT_HATEFUL_TEMPLATES = (
    "someone shouted {group} at my neighbours and i reported it",
    "calling people {group} is vile and it has to stop",
    "a man was charged after calling a family {group}",
    "i was called one of the {group} at school and it still hurts",
    "the word {group} has no place on this platform",
    "he got banned for calling them {group}, good",
)

LEET = {"a": "4", "e": "3", "i": "1", "o": "0"}
LOOKALIKE = {"a": "@", "o": "0", "e": "3", "i": "1"}

# Insults aimed at people who are not a protected group, and at things: the same words as hate
# ("plague", "parasites", "scum") with no protected target. "Vermin", "filth", "cockroaches" and
# "rats" are kept for pests only (or not used here at all), so a post calling some group the model
# has never seen by those names still leans towards review.
UNPROTECTED_PEOPLE = (
    "referees",
    "traffic wardens",
    "estate agents",
    "cold callers",
    "politicians",
    "bankers",
    "landlords",
    "Spurs fans",
    "tax inspectors",
    "cyclists who run red lights",
    "people who talk in the cinema",
    "motorway middle-lane hoggers",
    "car clampers",
    "Chelsea fans",
    "football pundits",
    "call centre managers",
    "dodgy mechanics",
    "people who vape on the bus",
)

UNPROTECTED_PEOPLE_TEMPLATES = (
    "{group} are useless",
    "I hate {group}",
    "{group} are a plague",
    "{group} are parasites, the lot of them",
    "{group} should be banned",
    "why do we put up with {group}?",
    "{group} are a waste of space",
    # Words shared with the newer hateful templates, aimed at no protected group.
    "{group} are scum",
    "{group} should be locked up",
    "{group} make me sick",
    "{group} are the lowest of the low",
    "{group} ought to be run out of town",
    "{group} are lower than pond life",
)

ANNOYING_THINGS = (
    "pigeons",
    "seagulls",
    "wasps",
    "Mondays",
    "potholes",
    "speed bumps",
    "self-checkout machines",
    "pop-up adverts",
    "slugs in the garden",
    "roadworks",
    "midges",
    "parking fines",
    "traffic cones",
    "fruit flies",
    "black mould patches",
    "rats in the bins",
    "bank holiday traffic jams",
    "printer ink prices",
)

ANNOYING_THINGS_TEMPLATES = (
    "I hate {group}",
    "{group} are a plague",
    "{group} are vermin",
    "get rid of all the {group}",
    "{group} should be wiped out",
    "{group} are disgusting",
    "{group} make me sick",
    "I want every one of the {group} gone",
)

# Swearing is not hate; models trained on public data often think it is.
BROKEN_THINGS = (
    "train",
    "bus",
    "printer",
    "wifi",
    "kettle",
    "laptop",
    "boiler",
    "washing machine",
    "car",
    "heating",
    "dishwasher",
    "phone",
    "tram",
    "lift",
)

PROFANE_TEMPLATES = (
    "this bloody {thing} is late again, f***ing hell",
    "the sodding {thing} has packed in again",
    "why is the {thing} always so shit",
    "absolute bollocks, the {thing} has died on me",
    "oh for f***'s sake, the {thing} again",
    "fucking {thing}, I could scream",
    "the damn {thing} is broken, what a pile of crap",
    "the {thing} has died again, ffs",
    "what the hell is wrong with this {thing}",
    "piece of shit {thing}, I give up",
    "I swear to god this {thing} hates me",
    "the {thing} is f*cked, brilliant start to the week",
)

# Swearing about weather, travel and bad days, with nobody targeted.
PROFANE_POSTS = (
    "pissing down again and the umbrella's in the car, bloody typical",
    "roasting on the tube today, absolute hell",
    "shit, overslept and missed the school run",
    "fuck me, the price of a pint in London",
    "bloody snow, the whole county has ground to a halt",
    "what a shitshow of a day, wine o'clock",
    "the wind nearly had me over on the bridge, Jesus Christ",
    "damn, forgot my lunch again",
    "motorway closed, diversion through every village in England, f***ing marvellous",
    "sodding alarm didn't go off",
    "hungover as hell, never again",
    "arse, left my bank card in the cash machine",
)

EVERYDAY_POSTS = (
    "lovely weather today",
    "anyone know a decent plumber in the area?",
    "just finished a 10k run, legs are jelly",
    "the cat has knocked my tea over again",
    "roast dinner at mum's on Sunday, can't wait",
    "does anyone have a spare ticket for Saturday?",
    "traffic on the ring road is terrible this morning",
    "new series of the baking show starts tonight",
    "lost a black umbrella on the number 12 bus, please message me",
    "happy birthday to my little sister, love you loads",
    "school run done, time for coffee",
    "the allotment is finally producing tomatoes",
    "who else is watching the match tonight?",
    "the library has extended its opening hours",
    "car boot sale at the church hall this Saturday",
    "my dog rolled in something awful on the walk",
    "recommend me a good book for the holiday",
    "the chippy on the high street has reopened",
    "rain again, typical British summer",
    "finally got my driving licence!",
    "bin collection has moved to Thursday this week",
    "can anyone lend me a ladder for the weekend?",
    "great gig last night, ears still ringing",
    "the new cafe does brilliant scones",
    "kids are off school for half term, pray for me",
    "quiz night at the pub was a laugh",
    "the hedgehog is back in the garden",
    "power cut on our street, anyone else?",
    "made a lasagne for the first time and it was edible",
    "reminder that the clocks go back on Sunday",
    "the park run was packed this morning",
    "job interview tomorrow, wish me luck",
    "found a tenner in my winter coat, best day ever",
    "our street party raised loads for the hospice",
    "the council has finally fixed the streetlight",
    "is the tip open on bank holidays?",
    "my nan has just learnt to video call",
    "lost my keys again, third time this week",
    "brilliant sunset over the estuary tonight",
    "the football club is looking for new volunteers",
    "first frost of the year, scrape the car time",
    "any recommendations for a dentist taking new patients?",
    "just passed my exams, over the moon",
    "the choir concert is on Friday at seven",
    "anyone else's broadband down?",
    "moving house next week, send boxes",
    "the bakery sold out of sausage rolls by ten",
    "my son scored his first goal today",
)

# Disguised spelling turns up in harmless posts too, so it must not be a hate signal on its own.
DISGUISED_EVERYDAY_POSTS = (
    "gr8 g4me l4st n1ght",
    "c u at the p4rk l8r",
    "b3st b1rthday 3ver, th4nks all",
    "s o  t i r e d  today",
    "h4ppy fr1day every0ne",
    "w0rst tr4ffic 3ver on the A road",
    "l0vely w3ather for a barbecue",
    "n0 w1f1 again, s e n d  h e l p",
    "sooo tired todayyy",
    "f*** this rain",
    "l@te ag@in, cheers r@ilw@y",
    "c@n't w@it for the weekend",
    "b e s t  d a y  e v e r",
    "g00d m0rning all",
    "happyyyy birthdayyy mum",
    "h@ppy new ye@r everyone",
    "the m@tch w@s unreal",
    "n00000 the chippy is shut",
)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fill(template: str, group: str) -> str:
    return _capitalised(template.format(group=group))


def _disguised(term: str, swaps: dict[str, str] = LEET) -> str:
    """Swap one letter per word for a look-alike character, as posters do, not every letter."""
    words = []
    for word in term.split(" "):
        for position, char in enumerate(word):
            if char.lower() in swaps:
                word = word[:position] + swaps[char.lower()] + word[position + 1 :]
                break
        words.append(word)
    return " ".join(words)


def _rotating_terms(terms: tuple[str, ...], offset: int) -> list[str]:
    count = min(TERMS_PER_TEMPLATE, len(terms))
    return [terms[(offset + k) % len(terms)] for k in range(count)]


def _generate() -> list[Example]:
    examples: list[Example] = []

    def add(text: str, label: int, slug: str | None = None, *, template: str | None = None) -> None:
        categories = (slug,) if label and slug else ()
        examples.append(Example(text=text, label=label, categories=categories, together=template))

    for label, templates in ((1, HATEFUL_TEMPLATES), (0, NOT_HATEFUL_TEMPLATES)):
        for index, template in enumerate(templates):
            for slug in CATEGORY_SLUGS:
                for term in _rotating_terms(GROUP_TERMS[slug], index):
                    add(_fill(template, term), label, slug, template=template)

    for slug in CATEGORY_SLUGS:
        for template in CATEGORY_HATEFUL_TEMPLATES[slug]:
            for term in GROUP_TERMS[slug]:
                add(_fill(template, term), 1, slug, template=template)
        for template in CATEGORY_NOT_HATEFUL_TEMPLATES[slug]:
            for term in GROUP_TERMS[slug]:
                add(_fill(template, term), 0, template=template)

    for index, template in enumerate(DISGUISED_HATEFUL_TEMPLATES):
        for slug in CATEGORY_SLUGS:
            terms = GROUP_TERMS[slug]
            term = terms[index % len(terms)]
            if index % 2:
                term = _disguised(term)
            add(_fill(template, term), 1, slug, template=template)

    for label, templates in ((1, LOOKALIKE_HATEFUL_TEMPLATES), (0, LOOKALIKE_NOT_HATEFUL_TEMPLATES)):
        for index, template in enumerate(templates):
            for slug in CATEGORY_SLUGS:
                plain, other = (GROUP_TERMS[slug][(index + k) % len(GROUP_TERMS[slug])] for k in (0, 1))
                add(_fill(template, plain), label, slug, template=template)
                add(_fill(template, _disguised(other, LOOKALIKE)), label, slug, template=template)

    for label, templates in ((1, SLUR_HATEFUL_TEMPLATES), (0, SLUR_NOT_HATEFUL_TEMPLATES)):
        for index, template in enumerate(templates):
            for slug in CATEGORY_SLUGS:
                for term in _rotating_terms(SLUR_TERMS[slug], index):
                    add(_fill(template, term), label, slug, template=template)

    for targets, templates in (
        (UNPROTECTED_PEOPLE, UNPROTECTED_PEOPLE_TEMPLATES),
        (ANNOYING_THINGS, ANNOYING_THINGS_TEMPLATES),
    ):
        for template in templates:
            for target in targets:
                add(_fill(template, target), 0, template=template)

    for template in PROFANE_TEMPLATES:
        for thing in BROKEN_THINGS:
            add(_capitalised(template.format(thing=thing)), 0, template=template)

    for post in PROFANE_POSTS + EVERYDAY_POSTS + DISGUISED_EVERYDAY_POSTS:
        add(post, 0)

    return examples


def seed_examples() -> list[Example]:
    """Every seed example, deduplicated by text, in the same order on every call."""
    seen: set[str] = set()
    unique: list[Example] = []
    for example in _generate():
        if example.text not in seen:
            seen.add(example.text)
            unique.append(example)
    return unique
