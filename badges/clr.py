"""Comprehensive Learner Record 2.0: a learner's record in one curriculum as a ClrCredential,
as plain functions over plain values (the view gathers the facts, `badges.clr_views`).

What it holds (docs/credentials.md, "Learner record (CLR)"):
- `verifiableCredential`: the OB 3.0 credential of every valid award of the learner's in the
  curriculum, exactly as `credential.json` serves it (its own proof and status entry: each one
  verifies on its own), then one AchievementCredential per topic the learner has done something
  in, with its result ("4" resources done of the topic's 6; status Completed when all are),
  covered by the record's proof only;
- `achievement`: every achievement those credentials name (the degrees, then the topics);
- `identifier`: the learner's email, hashed like the badges'; the record's subject and its topic
  credentials' are one `urn:uuid` (the award credentials keep their own, unlinkable, ids).
It is signed like the badges (eddsa-rdfc-2022, the site's did:web).
"""

from dataclasses import dataclass

from badges.dataintegrity import sign_document
from badges.did import verification_method_id
from badges.ob3 import CREDENTIAL_CONTEXT, format_timestamp

CLR_CONTEXT = [
    # The order CLR 2.0 requires: VC 2.0, CLR 2.0.1, then OB 3.0.3.
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CLR_TYPE = ["VerifiableCredential", "ClrCredential"]
ACHIEVEMENT_CREDENTIAL_TYPE = ["VerifiableCredential", "AchievementCredential"]
RESOURCES_DONE = "resources-done"


@dataclass(frozen=True)
class TopicRecord:
    """A topic the learner has done something in: `done` of its `published` resources."""

    url: str  # absolute: the topic's page, the achievement's id
    title: str
    description: str
    curriculum_title: str
    done: int
    published: int


@dataclass(frozen=True)
class RecordFacts:
    record_id: str
    name: str
    description: str
    issuer: dict  # the Profile: id (the did:web), type, name, url
    issued_at: object  # datetime
    subject_id: str  # the learner in this record (a urn:uuid of the record's)
    identity: dict  # an IdentityObject
    award_credentials: tuple  # signed OpenBadgeCredentials (Data Integrity form)
    topics: tuple[TopicRecord, ...]


def topic_achievement(topic):
    """The topic as an OB 3.0 Achievement, with the one result it describes: resources done."""
    return {
        "id": topic.url,
        "type": ["Achievement"],
        "name": topic.title,
        "description": topic.description or topic.title,
        "criteria": {
            "narrative": f"Complete or already know the published resources of the topic "
            f"{topic.title} in the curriculum {topic.curriculum_title}."
        },
        "resultDescription": [
            {
                "id": f"{topic.url}#{RESOURCES_DONE}",
                "type": ["ResultDescription"],
                "name": "Resources completed or already known",
                "resultType": "RawScore",
                "valueMin": "0",
                "valueMax": str(topic.published),
            }
        ],
    }


def topic_result(topic):
    result = {
        "type": ["Result"],
        "resultDescription": f"{topic.url}#{RESOURCES_DONE}",
        "value": str(topic.done),
    }
    if topic.published and topic.done >= topic.published:
        result["status"] = "Completed"
    return result


def topic_credential(facts, number, topic):
    """The learner's result in a topic, as an AchievementCredential inside the record (no proof
    of its own: the record's covers it)."""
    return {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": f"{facts.record_id}#topic-{number}",
        "type": list(ACHIEVEMENT_CREDENTIAL_TYPE),
        "issuer": dict(facts.issuer),
        "validFrom": format_timestamp(facts.issued_at),
        "name": f"{topic.title}: {topic.done} of {topic.published} resources",
        "credentialSubject": {
            "id": facts.subject_id,
            "type": ["AchievementSubject"],
            "achievement": topic_achievement(topic),
            "result": [topic_result(topic)],
        },
    }


def build_record(facts):
    """The unsigned ClrCredential."""
    topic_credentials = [
        topic_credential(facts, number, topic) for number, topic in enumerate(facts.topics, 1)
    ]
    credentials = [*facts.award_credentials, *topic_credentials]
    achievements = [c["credentialSubject"]["achievement"] for c in credentials]
    return {
        "@context": list(CLR_CONTEXT),
        "id": facts.record_id,
        "type": list(CLR_TYPE),
        "issuer": dict(facts.issuer),
        "validFrom": format_timestamp(facts.issued_at),
        "name": facts.name,
        "description": facts.description,
        "credentialSubject": {
            "id": facts.subject_id,
            "type": ["ClrSubject"],
            "identifier": [dict(facts.identity)],
            "achievement": achievements,
            "verifiableCredential": credentials,
        },
    }


def sign_record(record, signing_key, did, key_id):
    """The record with an eddsa-rdfc-2022 proof made when it was issued (`validFrom`)."""
    signed = sign_document(
        record, signing_key, verification_method_id(did, key_id), created=record["validFrom"]
    )
    return {**signed, "proof": [signed["proof"]]}
