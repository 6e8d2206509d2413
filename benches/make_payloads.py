#!/usr/bin/env python3
"""Generate random but valid JSON response bodies for the submission benchmark.

Reads a Candour questionnaire TOML file and writes a Lua file that returns a table of
strings, each one a request body for `POST /api/v1/surveys/{slug}/responses`:

    {"answers": {"question-key": value, ...}}

Every body is valid against the questionnaire: required questions are answered, a
question with `show_if` is answered only when the controlling answer is one of
`any_of` (and left out otherwise), `multi` answers respect `max_choices`, numbers
respect `min`/`max`/`integer`, text respects `max_length`. Optional questions are
answered with probability --optional-rate (default 0.95), optional free-text ones with
--text-rate (default 0.5), so a response answers nearly every visible question (about
40 for the shipped questionnaire). A multi answer never combines "none"-like options
(value none, dont-know, ... or `exclusive = true`) with others. The output is
deterministic for a given --seed.

Usage:
    benches/make_payloads.py QUESTIONNAIRE.toml [-n 200] [--seed 1] [-o payloads.lua]

Prints a one-line summary (bodies, answers per body, mean body size) on stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tomllib

# Built-in Likert scales (see src/questionnaire/scales.rs).
BUILTIN_SCALES = {
    "agreement": (
        ["strongly-disagree", "disagree", "neither", "agree", "strongly-agree"],
        "dont-know",
    ),
    "frequency": (["never", "rarely", "sometimes", "often", "always"], "dont-know"),
}

WORDS = (
    "the front door works well but referrals often lack detail and feedback to "
    "referrers is slow supervision is regular and helpful although caseloads are "
    "high managers are visible and the partnership listens to the voice of the child "
    "thresholds are understood by most staff escalation is rarely needed training "
    "has improved since last year information sharing with health and schools is good"
).split()

# Option values that a generated multi answer never combines with others.
EXCLUSIVE_VALUES = {"none", "none-of-these", "dont-know", "prefer-not-to-say"}

# Short text answers stay within this many characters (and within max_length).
TEXT_MAX_CHARS = 240
TEXT_MIN_CHARS = 20


class QuestionnaireError(Exception):
    pass


def choice_value(choice, where: str) -> str:
    """An option or scale point: a plain string (the value is the label) or a table."""
    if isinstance(choice, str):
        return choice
    if isinstance(choice, dict) and isinstance(choice.get("value"), str):
        return choice["value"]
    raise QuestionnaireError(f"{where}: cannot read option {choice!r}")


def scale_values(doc: dict, name: str, where: str) -> list[str]:
    """The values a Likert question may take: the scale's points, plus "don't know"
    when its value is known for certain."""
    custom = doc.get("scales", {}).get(name)
    if custom is not None:
        points = [choice_value(p, f"{where} scale {name}") for p in custom.get("points", [])]
        dont_know = custom.get("dont_know")
        if isinstance(dont_know, (str, dict)):
            points.append(choice_value(dont_know, f"{where} scale {name} dont_know"))
        # A boolean `dont_know = true` means some built-in value; leave it out rather
        # than guess it.
        if not points:
            raise QuestionnaireError(f"{where}: scale {name!r} has no points")
        return points
    if name in BUILTIN_SCALES:
        points, dont_know = BUILTIN_SCALES[name]
        return points + [dont_know]
    raise QuestionnaireError(f"{where}: unknown scale {name!r}")


def number_of(value, where: str, field: str):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise QuestionnaireError(f"{where}: {field} is not a number: {value!r}")
    return value


class Question:
    def __init__(self, doc: dict, section_index: int, raw: dict):
        self.key = raw.get("key")
        where = f"section {section_index + 1} question {self.key!r}"
        if not isinstance(self.key, str):
            raise QuestionnaireError(f"section {section_index + 1}: a question has no key")
        self.type = raw.get("type")
        self.required = bool(raw.get("required", False))
        show_if = raw.get("show_if")
        if show_if is not None:
            self.show_if = (show_if["question"], [str(v) for v in show_if["any_of"]])
        else:
            self.show_if = None
        if self.type in ("single", "multi"):
            raw_options = raw.get("options", [])
            self.options = [choice_value(o, where) for o in raw_options]
            if not self.options:
                raise QuestionnaireError(f"{where}: no options")
            # Options that make no sense beside others ("None of these"): a generated
            # multi answer holds one of them alone, or none of them.
            self.exclusive = {
                choice_value(o, where)
                for o in raw_options
                if (isinstance(o, dict) and o.get("exclusive") is True)
                or choice_value(o, where).lower() in EXCLUSIVE_VALUES
            }
            self.max_choices = raw.get("max_choices") if self.type == "multi" else None
        elif self.type == "likert":
            self.options = scale_values(doc, raw.get("scale", "agreement"), where)
        elif self.type == "text":
            self.max_length = raw.get("max_length")
        elif self.type == "number":
            self.min = number_of(raw.get("min"), where, "min")
            self.max = number_of(raw.get("max"), where, "max")
            self.integer = bool(raw.get("integer", False))
        else:
            raise QuestionnaireError(f"{where}: unknown type {self.type!r}")

    def answer(self, rng: random.Random):
        if self.type in ("single", "likert"):
            return rng.choice(self.options)
        if self.type == "multi":
            regular = [v for v in self.options if v not in self.exclusive]
            exclusive = [v for v in self.options if v in self.exclusive]
            if exclusive and (not regular or rng.random() < 0.1):
                return [rng.choice(exclusive)]
            most = len(regular)
            if isinstance(self.max_choices, int) and self.max_choices > 0:
                most = min(most, self.max_choices)
            chosen = set(rng.sample(range(len(regular)), rng.randint(1, most)))
            return [v for i, v in enumerate(regular) if i in chosen]
        if self.type == "text":
            return random_text(rng, self.max_length)
        return self.random_number(rng)

    def random_number(self, rng: random.Random):
        low, high = self.min, self.max
        if low is None and high is None:
            low, high = 0, 100
        elif low is None:
            low = high - 100
        elif high is None:
            high = low + 100
        if self.integer:
            ints = range(math.ceil(low), math.floor(high) + 1)
            if len(ints) == 0:
                raise QuestionnaireError(f"question {self.key!r}: no integer in [{low}, {high}]")
            return rng.choice(ints)
        value = round(rng.uniform(low, high), 2)
        return value if low <= value <= high else low


def random_text(rng: random.Random, max_length) -> str:
    limit = TEXT_MAX_CHARS
    if isinstance(max_length, int) and max_length > 0:
        limit = min(limit, max_length)
    target = rng.randint(min(TEXT_MIN_CHARS, limit), limit)
    words: list[str] = []
    length = 0
    while True:
        word = rng.choice(WORDS)
        extra = len(word) + (1 if words else 0)
        if length + extra > target:
            break
        words.append(word)
        length += extra
    text = " ".join(words)
    if not text:
        text = "ok"[:limit] or "x"
    return text[0].upper() + text[1:]


def load(path: str) -> tuple[str, list[Question]]:
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    questions: list[Question] = []
    for index, section in enumerate(doc.get("sections", [])):
        for raw in section.get("questions", []):
            questions.append(Question(doc, index, raw))
    if not questions:
        raise QuestionnaireError(f"{path}: no questions")
    keys = {q.key for q in questions}
    for q in questions:
        if q.show_if and q.show_if[0] not in keys:
            raise QuestionnaireError(f"question {q.key!r}: show_if names unknown {q.show_if[0]!r}")
    return doc.get("slug", ""), questions


def make_response(
    questions: list[Question], rng: random.Random, optional_rate: float, text_rate: float
) -> dict:
    answers: dict = {}
    for q in questions:
        if q.show_if is not None:
            controlling = answers.get(q.show_if[0])
            given = controlling if isinstance(controlling, list) else [controlling]
            if not any(str(v) in q.show_if[1] for v in given if v is not None):
                continue  # hidden: must be left out
        rate = text_rate if q.type == "text" else optional_rate
        if not q.required and rng.random() >= rate:
            continue
        answers[q.key] = q.answer(rng)
    return {"answers": answers}


def lua_string(s: str) -> str:
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif code < 32 or code == 127:
            out.append(f"\\{code:03d}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questionnaire", help="questionnaire TOML file")
    parser.add_argument("-n", "--count", type=int, default=200, help="bodies to write (200)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument(
        "--optional-rate",
        type=float,
        default=0.95,
        help="probability that a visible optional question is answered (0.95)",
    )
    parser.add_argument(
        "--text-rate",
        type=float,
        default=0.5,
        help="probability that a visible optional text question is answered (0.5)",
    )
    parser.add_argument("-o", "--output", default="-", help="Lua file to write (stdout)")
    parser.add_argument(
        "--json", action="store_true", help="write one JSON body per line instead of Lua"
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")

    try:
        slug, questions = load(args.questionnaire)
    except (OSError, tomllib.TOMLDecodeError, QuestionnaireError, KeyError, TypeError) as e:
        print(f"make_payloads: {e}", file=sys.stderr)
        return 1

    rng = random.Random(args.seed)
    bodies = [
        json.dumps(make_response(questions, rng, args.optional_rate, args.text_rate), separators=(",", ":"))
        for _ in range(args.count)
    ]

    if args.json:
        text = "".join(b + "\n" for b in bodies)
    else:
        lines = [
            f"-- Generated by benches/make_payloads.py from {args.questionnaire}",
            f"-- slug {slug}, {len(bodies)} bodies, seed {args.seed}",
            "return {",
        ]
        lines += [f"  {lua_string(b)}," for b in bodies]
        lines.append("}")
        text = "\n".join(lines) + "\n"

    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)

    counts = [len(json.loads(b)["answers"]) for b in bodies]
    print(
        f"make_payloads: {len(bodies)} bodies for {slug or '?'} ({len(questions)} questions), "
        f"answers per body {min(counts)}-{max(counts)} (mean {sum(counts) / len(counts):.1f}), "
        f"mean body {sum(len(b) for b in bodies) / len(bodies):.0f} bytes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
