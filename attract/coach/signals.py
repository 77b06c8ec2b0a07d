"""The coach's signals: the rubric's words, one pattern family per kind of move, each
with the post it comes from.

Patterns look for *kinds* of move (an ask for a like, a follow or a demo; a claim of a
meeting; a question about the reader) rather than single stock phrases, so that messages
the coach has never seen are judged by the same logic as the lessons teach. How a family
is searched fast is ``patterns``' business; this module is only vocabulary.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from .patterns import FLAGS, Family

GREETING = re.compile(
    r"^\W*(?:hi|hello|hey|hiya|dear|good (?:morning|afternoon|evening)|greetings|"
    r"thanks|thank you|congrat\w*|welcome|morning|evening)\b[\s,!.:-]*", FLAGS)
GENERIC_NAMES = frozenset({"there", "all", "everyone", "team", "friend", "friends", "sir",
                           "madam", "folks", "guys", "connection", "colleague",
                           "sir/madam", "you"})

# Where the two people's paths crossed, or what of theirs the sender engaged with
# (Jamieson: "remind me of that encounter"; Lori: learn the why behind what they do).
CONTEXT = Family(
    r"\b(?:we|i) (?:met|spoke|chatted|talked|sat|were) (?:at|during|on|in|after|over|"
    r"together|briefly|last|next to)\b",
    r"\b(?:at|from|during) (?:the |your |last (?:week|month)'?s? )?(?:[A-Z][\w&'.-]*\s){0,4}"
    r"(?:meetup|conference|summit|expo|event|webinar|workshop|panel|dinner|breakfast|"
    r"fair|seminar|session|keynote|roundtable|festival|retreat|course|class)\b",
    r"\b(?:read|saw|enjoyed|loved|liked|watched|listened to|heard|came across|noticed|"
    r"finished|appreciated|bookmarked|shared)\b[^.?!\n]{0,60}?\byour\b",
    r"\byour (?:recent |latest |last |new )?(?:post|article|piece|blog|talk|podcast|"
    r"episode|comment|thread|newsletter|tweet|update|book|video|question|answer|"
    r"presentation|session|keynote|panel|launch|announcement|report|research|paper|"
    r"study|case study|talk|point|slides?|work on|team's)\b",
    r"\b(?:mutual|we both know|introduced (?:me|us)|suggested (?:i|that i) (?:reach|contact|"
    r"get in touch|say hello)|referred me|(?:[A-Z][a-z]+ )(?:mentioned|suggested|"
    r"recommended) (?:you|i|that))\b",
    r"\bin the [A-Z][\w' &-]{2,40} (?:group|community|forum|slack|channel|cohort|alumni)\b",
    r"\bas (?:a )?fellow\b",
    r"\bthanks?(?: you)?(?: again)? for (?:the |your )?(?:follow|following|connecting|"
    r"connection|adding me|stopping by|visiting|coming|joining|dropping by|comment|message|"
    r"question|note|reply|invite|invitation|kind words|recommendation|help)\b",
    r"\b(?:great|good|nice|lovely|fun|a pleasure|so good) (?:meeting|to meet|talking|"
    r"chatting|speaking|seeing|to see|to chat|to talk) (?:with |to )?you\b",
    r"\b(?:hope|hoping|trust) (?:the|your) [\w' -]{2,40} (?:was|went|is going|goes|has been)\b",
    r"\b(?:hearing|learning|reading) (?:how|about|that|why) you\b",
    r"\byour (?:question|comment|answer|reply|post) (?:in|on|about|under)\b",
    r"\b(?:open day|site visit|trade show|stand|stall|booth|demo day|hackathon|launch party)\b",
)

# A named relationship earns a later ask (Jamieson: earn the right to ask).
RELATIONSHIP = Family(
    r"\b(?:after|following|since|from) (?:our|the) (?:first |last |recent |\w+ )?"
    r"(?:call|calls|chat|chats|conversation|conversations|meeting|meetings|coffee|lunch|"
    r"demo|workshop|session|sessions)\b",
    r"\bas (?:we|you) (?:discussed|agreed|asked|requested|suggested)\b",
    r"\byou (?:mentioned|said|asked|told me|wrote)\b",
    r"\b(?:per|at) your request\b", r"\bas promised\b",
    r"\b(?:have|had|we've|we have|we) (?:worked|been working) together\b",
    r"\bwhen we spoke\b",
)

# Claims of closeness that the message itself gives no evidence of (Jamieson's
# "we are already friends" invitations from strangers), and contacts mined from someone
# else's network (the unsigned post: invading a person's address book).
FAKE_FAMILIARITY = Family(
    r"\b(?:found|saw|came across|got|pulled) (?:you|your (?:name|profile|details|email|"
    r"number))\b[^.?!\n]{0,20}\b(?:through|via|in|on|among|from) [\w' .-]{0,40}?"
    r"(?:connections|contacts|network|friends? list|followers|address book|list|"
    r"member directory)\b",
    r"\b(?:as|since|because) we(?:'re| are) (?:already |basically |practically )?"
    r"(?:friends|connected|close|buddies|family)\b",
    r"\b(?:as|since) (?:my|a) (?:dear |good |close )?friend\b",
    r"\byou (?:love|know) me\b",
    r"\bfollowing up on our (?:conversation|chat|call)\b(?![^.?!\n]{0,40}\b(?:about|on|at|"
    r"last|yesterday|when)\b)",
    r"\bgreat (?:catching up|to reconnect|talking again)\b(?![^.?!\n]{0,40}\b(?:about|at|"
    r"on)\b)",
)

# Asks for something before any relationship exists (all five posts).
ASK = Family(
    r"\blike (?:my|our|the|this|his|her) (?:[\w'-]+ ){0,4}(?:page|post|video|profile|channel|"
    r"reel|photo)\b",
    r"\b(?:could|can|would|will|please|pls|kindly) (?:you )?(?:like|follow|share|repost|rate|"
    r"review|subscribe to) (?:it|this|that|me|us|the page)\b",
    r"\bshare (?:it|this|that|the page|the link) (?:with|around|on|to|in|among)\b",
    r"\bgive (?:us|me|it|them) a (?:like|follow|shout-?out)\b",
    r"\bfollow (?:me|us|my|our|back|him|her)\b",
    r"\b(?:connect|link up|add me|find me|join me|join us) (?:with me |with us )?on "
    r"(?:facebook|instagram|twitter|x|linkedin|tiktok|youtube|whatsapp|telegram|"
    r"threads|clubhouse)\b",
    r"\bendors(?:e|ement|ements|ing)\b",
    r"\b(?:recommend|vouch for) (?:me|us|my|our)\b",
    r"\b(?:writ(?:e|ing)|giv(?:e|ing)|leav(?:e|ing)|post(?:ing)?) (?:me |us )?an? (?:\w+ )?"
    r"(?:recommendation|review|testimonial|reference|rating|shout-?out)\b",
    r"\bvote (?:for )?(?:me|us|my|our)\b",
    # asking the reader to share the sender's thing: a request or a bare imperative, not
    # the sender's own "happy to share our runbook"
    r"(?:\b(?:please|pls|kindly|can you|could you|would you|will you|mind|help me|and)\s+|"
    r"(?:^|[.!?]\s+))(?:share|repost|retweet|forward|pass on|pass along|promote|plug) "
    r"(?:my|our) \w+",
    r"\b(?:please|pls|kindly|can you|could you|would you|mind) (?:share|repost|retweet|"
    r"forward|post) (?:this|it|that)\b",
    r"\bspread the word\b",
    r"\b(?:download|grab|get) (?:my|our|the|a) (?:free |new )?(?:pdf|e-?book|guide|"
    r"whitepaper|white paper|app|checklist|report|toolkit)\b",
    r"\b(?:subscribe|sign up|signup|register|enrol|enroll)\b",
    r"\b(?:buy|purchase|order) (?:my|our|the|a|it|now|today)\b",
    r"\b(?:join|check out|visit|take) (?:my|our) (?:\w+ )?(?:course|program|programme|"
    r"webinar|list|group|masterclass|site|website|page|store|shop|blog|channel|podcast|"
    r"offer|product|community)\b",
    r"\b(?:book|schedule|hop on|jump on|grab|set up|arrange|lock in) (?:a |an |some |your )?"
    r"(?:quick |short |free |brief )?(?:demo|call|meeting|chat|consultation|session|"
    r"\d+[- ]?min\w*)\b",
    r"\b(?:quick |short )?(?:\d+|fifteen|twenty|thirty)[- ]?min(?:ute)?s?\b[^.?!\n]{0,40}?"
    r"\b(?:call|chat|demo|zoom|meeting|your (?:time|calendar))\b",
    r"\bfree (?:trial|consultation|audit|demo)\b",
    r"\b(?:use|try|hire|buy) (?:my|our) (?:services?|product|tool|platform|agency|app|"
    r"software|solution)\b",
    r"\b(?:review|look at|check) my profile\b",
    r"\bintroduce me to\b|\bpass my (?:details|name|info|number) (?:on|along)\b",
    r"\bcalendly\.com\b|\blet me know (?:a good time|when you(?:'re| are) free)\b",
    r"\b(?:quick|short|brief|intro|discovery|exploratory) (?:call|chat|demo|meeting|zoom)\b",
    r"\b(?:are|would) you (?:be )?(?:free|available|around) (?:for|tomorrow|today|this|next|"
    r"on|at|later)\b",
    r"\b(?:call|demo|meeting|zoom) (?:tomorrow|today|this week|next week|on (?:monday|"
    r"tuesday|wednesday|thursday|friday))\b",
    # commercial calls to action: pricing, codes, trials, "DM me"
    r"\b(?:dm|message|email|text|ping|whatsapp|call) me (?:for|to|with|info|now|today|back|"
    r"asap|if|and)\b",
    r"\b(?:find out|learn) more\b|\blink in (?:my )?bio\b|\bsign-?up link\b",
    r"\btry (?:it|us|this|them) (?:free|for free|now|today|out)\b",
    r"\b(?:price list|promo code|discount code|launch code|coupon|\d+ ?% off)\b",
    r"\b(?:our|my) (?:pricing|prices|rates|packages|price)\b|\bfor (?:pricing|a quote|prices)\b",
    r"\b(?:tell|show) you more\b",
    r"\b(?:our|my) (?:booth|stand|stall) (?:is|at|number|no)\b",
    r"\bshall i (?:send|book|call|set|put)\b",
    r"\b(?:donat\w+|sponsor me|chip in|every (?:pound|dollar|euro|penny|bit) (?:counts|helps))\b",
    r"\b(?:explore|discuss) (?:\w+ ){0,2}(?:opportunit\w+|synerg\w+|partnership\w*|"
    r"collaboration|ways we could|how we (?:can|could))\b",
    r"\blooking forward to (?:working|partnering|doing business|collaborating) "
    r"(?:together|with you)\b",
)

# A question that is a pitch in disguise (Lori: not a conversation, a promotion fest).
PITCH_QUESTION = Family(
    r"\b(?:would|do|are|could|can|did|might) you (?:like|want|be interested|be open|"
    r"fancy|need)\b[^?]{0,80}\b(?:demo|call|trial|offer|discount|product|tool|platform|"
    r"service|solution|course|program|grow|increase|boost|double|triple|save|scale|"
    r"generate|\d+x|leads?|pipeline|revenue|sales)\b",
    r"\bare you (?:still )?(?:struggling|tired|fed up|frustrated|sick|losing|looking for "
    r"a (?:better|new) (?:way|tool|solution|partner))\b",
    r"\b(?:interested|open) (?:in|to) (?:a |our |my |learning how|hearing how|seeing how)\b",
    r"\bcan i (?:send|show|book|schedule|pitch|get) (?:you|a|some|15|20|30)\b",
    r"\b(?:are|would) you (?:be )?(?:free|available|around)\b",
    r"\bwhat if (?:i|we) (?:told|could|showed)\b",
    r"\bwhat would (?:it|that) (?:mean|do|look like) (?:for|to) your?\b",
    r"\bdo you want to (?:lose|drop|make|earn|save|get rid|grow|double|stop)\b",
    r"\b(?:want|ready) to (?:\d+x|double|triple|10x|skyrocket|grow|boost|scale|increase)\b",
)
# Giving before taking (Jennifer: deliver value; the unsigned post: add value first).
VALUE = Family(
    r"\b(?:sharing|here(?:'s| is| are)|attached(?: is| are)?|enclosed|linked below)\b",
    r"\bi(?:'ve| have)? (?:put together|wrote up|written up|compiled|pulled together|"
    r"collected|jotted down|drafted)\b",
    r"\bthought (?:of you|you(?:'d| would| might) (?:find|like|enjoy|want|appreciate))\b",
    r"\b(?:might|may|could) (?:help|be (?:useful|helpful|handy|of use))\b|"
    r"\bin case (?:it(?:'s| is)|that(?:'s| is)) (?:useful|helpful|handy)\b",
    r"\bhappy to (?:share|introduce|help|send|connect you|pass|make an intro)\b",
    r"\b(?:free to use|no strings|no need to (?:reply|respond|answer)|no reply needed|"
    r"nothing to sign|no pitch)\b",
    r"\b(?:template|checklist|guide|article|study|report|resource|playbook|notes|"
    r"recording|slides|spreadsheet|framework|list of|reading list|intro to|tips|how-to|"
    r"write-?up|summary|examples|case study|numbers|teardown|walkthrough|video)\b",
)

PRESSURE = MappingProxyType({
    "urgency": Family(
        r"\bonly (?:taking|accepting|have room for|onboarding) (?:a (?:few|couple)|\d+|two|"
        r"three|five)\b",
        r"\bbefore (?:prices?|rates?|costs?|it|the offer|spots?) (?:rise|go up|goes up|"
        r"increase|end|ends|close|closes|run out|runs out|sell out|sells out)\b",
        r"\b(?:last chance|limited[- ]time|limited (?:offer|spots?|places|seats)|"
        r"only \d+ (?:spots?|seats?|places?|left|days?)|act (?:now|fast)|hurry|today only|"
        r"don'?t miss|expires?|ends (?:today|tonight|soon|friday|midnight)|"
        r"before (?:it'?s|its) too late|asap|urgent(?:ly)?|right now|deadline)\b"),
    "you need me": Family(
        r"\byou (?:really |absolutely |urgently )?(?:need|must|have to|should|gotta|"
        r"can'?t afford not to) (?:me|us|this|our|my|to)\b"),
    "hype": Family(
        r"\b(?:guaranteed?|game[- ]?chang\w*|revolutionary|rock your world|life[- ]chang\w*|"
        r"explode|skyrocket|insane|crush it|no[- ]brainer|once[- ]in[- ]a[- ]lifetime)\b",
        r"\b(?:\d+x (?:your|more|growth|revenue|sales|leads|pipeline)|100% (?:free|guaranteed|"
        r"results))\b",
        r"\b(?:by |save |cut \w+ \w+ by )?up to \d+ ?%|\bby \d{2,3} ?%",
        r"\b(?:[678]|six|seven|eight)[- ]figures?\b|\bchanged my life\b|"
        r"\bbe your own boss\b|\bthe opportunity everyone\b"),
    "exclamation run": re.compile(r"!{2,}"),
    "shouting": re.compile(r"\b(?!(?:CEO|CFO|CTO|COO|CMO|CRO|VP|HR|IT|UK|USA|EU|NYC|SaaS|"
                           r"B2B|B2C|SEO|CRM|ROI|KPI|API|AI|PDF|FAQ|OKR|OKRS|Q[1-4]|SMB|ESG|"
                           r"NGO|MBA|PhD|TED|AMA|DM|DMS|PS)\b)[A-Z]{4,}\b"),
})

# Asking again, or asking out of pity (Jennifer: asking twice undermines credibility).
REPEAT = Family(
    r"\bi(?:'ve| have)? (?:already )?(?:asked|messaged|emailed|written|wrote|reached out|"
    r"pinged|contacted|sent)(?: you| this)?(?: to you)? (?:twice|again|before|already|"
    r"a (?:few|couple of) times|several times|multiple times|last (?:week|month)|"
    r"\d+ times|three times)\b",
    r"\b(?:haven'?t|have not|didn'?t) (?:heard back|replied|responded|answered|got back)\b",
    r"\bstill (?:waiting|haven'?t|have not)\b",
    r"\b(?:bump(?:ing)?|nudg(?:e|ing)) (?:this|my (?:last|previous) )\b",
    r"\b(?:my|the) (?:last|previous|earlier|other|few|\w+ earlier) (?:\w+ )?(?:dms?|messages?|"
    r"emails?|notes?|invites?|requests?)\b(?! you (?:sent|wrote))",
    r"\bjust checking (?:in )?(?:that |if |whether )?you (?:saw|got|read|had)\b",
    r"\bhelps? (?:the|my|our) (?:numbers|stats|ranking|algorithm)\b",
    r"\bfollowing up (?:again|once more|one more time|for the (?:\w+) time)\b",
    r"\bdid you (?:see|get|read|miss) my (?:last|previous|earlier|other)\b",
    r"\b(?:just|only) (?:need )?\d+ more (?:followers|likes|votes|people|fans|members|"
    r"signups|subscribers)\b|\bjust need \d+ more\b",
    r"\bplease help me (?:get|reach|hit|make|grow)\b",
    r"\b(?:it would|would) mean (?:so much|a lot|the world)\b",
    r"\b(?:begging|pretty please|i'?m desperate)\b",
)

SELF_PROMO = Family(
    r"\b(?:my|our) (?:company|agency|firm|startup|business|product|products|platform|"
    r"solution|solutions|services?|tool|software|app|course|book|programme|program|offer|"
    r"brand|award|awards|clients|customers|results|track record|expertise)\b",
    r"\b(?:we|i) (?:help|helped|specialise|specialize|offer|provide|deliver|build|"
    r"are the leading|am the leading|have (?:helped|worked with|been featured))\b",
    r"\b(?:i'?m|we'?re|i am|we are) (?:helping|working with|partnering with|the \w+ who)\b",
    r"\b(?:we|i)(?:'ve| have)? (?:just )?(?:closed|raised|launched|won|hit|reached|placed|"
    r"supplied|served|sold|signed|opened|grown|joined|been (?:named|ranked|awarded|featured|"
    r"voted))\b",
    r"\b(?:the|our|my) (?:firm|team|company|agency|practice|crew) (?:just |has |have |also )?"
    r"(?:closed|won|launched|made|raised|hit|placed|ranked)\b",
    r"\bproud (?:of|to)\b|\bmy name is\b|\bquick intro (?:from|to) (?:me|us|our)\b|"
    r"\bspeciali[sz]e in\b|\bsince (?:19|20)\d\d,? (?:we|i)\b",
    r"\b(?:i|we)(?:'ve| have)? got (?:a|an|the) (?:\w+ )?(?:programme|program|course|product|"
    r"offer|solution|tool|system|plan|deal|opportunity)\b",
    r"\b(?:we are|we're) (?:an? |the )?(?:\w+[- ])?(?:award-winning|leading|certified|"
    r"compliant|accredited|trusted|global|specialist)\b",
    r"\b(?:award-winning|industry-leading|best-in-class|world-class|leading provider)\b",
)

# A way out that leaves the reader free (Jennifer: the right to ask includes their right
# to say no). It softens an ask; it does not earn one.
EASY_OUT = Family(
    r"\bno (?:worries|problem|pressure|obligation|stress)\b[^.?!\n]{0,30}?\b(?:if|either way|"
    r"at all)\b",
    r"\b(?:feel free to|happy if you) (?:ignore|skip|pass|say no)\b",
    r"\b(?:totally|completely|entirely|perfectly) (?:fine|ok|okay|understandable) if\b",
    r"\bno need to (?:reply|answer|respond|get back)\b",
    r"\bif (?:it's|it is|this is|that's|that is) not (?:a fit|for you|useful|helpful|"
    r"relevant|the right time)\b",
    r"\bhappy either way\b",
    r"\bonly if (?:it's|it is|you find it|you think it's) (?:useful|helpful|of use)\b",
)
