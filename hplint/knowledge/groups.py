"""Knowledge about grouped rows (HPL411): column names that identify an entity whose rows repeat
(several scans per patient, sessions per user), the words that say a frame's rows are records of
such an entity, and the pandas calls that show a key repeats, is unique, or is used to split.

A column name is compared in its normalized form: lower case, without `_`, `-`, spaces
(`Patient_ID`, `patientId`, `patient id` -> `patientid`)."""

from __future__ import annotations

# Normalized column name -> the entity it identifies (named in messages: "the same patient").
# Left out on purpose: ids that are per row in most datasets (`id`, `passengerid`, `rowid`,
# `sampleid`, `imageid`, `orderid`, `transactionid`), and product/item ids (rows per item are
# usually a recommender's interactions, where a row split is the intended protocol).
GROUP_KEYS: dict[str, str] = {
    "patientid": "patient",
    "patient": "patient",
    "patientnumber": "patient",
    "patid": "patient",
    "subjectid": "subject",
    "subject": "subject",
    "subj": "subject",
    "participantid": "participant",
    "participant": "participant",
    "userid": "user",
    "user": "user",
    "customerid": "customer",
    "clientid": "client",
    "sessionid": "session",
    "groupid": "group",
    "group": "group",
    "householdid": "household",
    "familyid": "family",
    "personid": "person",
    "individualid": "individual",
    "speakerid": "speaker",
    "speaker": "speaker",
    "driverid": "driver",
    "donorid": "donor",
    "animalid": "animal",
    "mouseid": "mouse",
    "visitorid": "visitor",
    "studentid": "student",
    "accountid": "account",
    "memberid": "member",
}

# Words (in a frame's variable name, a parameter's name or the path it was read from) that say its
# rows are records of a repeated entity: `scans`, `sessions.csv`, `df_visits`. Plural and singular.
RECORD_WORDS = frozenset({
    "scan", "scans", "image", "images", "img", "imgs", "visit", "visits", "session", "sessions", "event",
    "events", "click", "clicks", "log", "logs", "transaction", "transactions", "measurement",
    "measurements", "reading", "readings", "recording", "recordings", "trial", "trials", "epoch",
    "epochs", "window", "windows", "segment", "segments", "slice", "slices", "admission", "admissions",
    "encounter", "encounters", "exam", "exams", "purchase", "purchases", "interaction", "interactions",
    "utterance", "utterances", "clip", "clips", "slide", "slides", "patch", "patches", "tile", "tiles",
    "beat", "beats", "activity", "activities", "history", "histories", "order", "orders", "note", "notes",
    "series", "studies", "frames", "sensor", "sensors", "signals",
})

# `df.groupby(key).<method>()` with one of these keeps one row per input row: the key repeats.
ROWWISE_GROUP_METHODS = frozenset({
    "transform", "shift", "cumcount", "cumsum", "cumprod", "cummax", "cummin", "rolling", "expanding",
    "diff", "rank", "pct_change", "ffill", "bfill", "fillna", "ewm",
})
# `df.groupby(key).<method>()` with one of these makes one row per key: a per-key table.
AGGREGATE_GROUP_METHODS = frozenset({
    "agg", "aggregate", "mean", "sum", "count", "size", "min", "max", "median", "std", "var", "first",
    "last", "nunique", "apply", "describe", "prod", "sem", "quantile", "nth", "head", "tail", "mode",
})
# `df[key].<method>()`: the code counts rows per key (evidence that it repeats).
COUNT_METHODS = frozenset({"value_counts", "nunique"})
# `df[key].<method>()`, `np.unique(df[key])`, `df.drop_duplicates(key)`: unique keys, one row per
# key, or rows picked by key membership: the code handles the groups itself.
UNIQUE_METHODS = frozenset({"unique", "drop_duplicates", "isin"})
UNIQUE_FUNCTIONS = frozenset({"numpy.unique", "pandas.unique"})
# Methods that remove a column given by name (`drop(columns=...)`, `pop(...)`).
DROP_METHODS = frozenset({"drop", "pop"})

# Splitters that cut rows without looking at groups (qualified names after normalization).
ROW_SPLITTERS = frozenset({
    "sklearn.model_selection.KFold",
    "sklearn.model_selection.StratifiedKFold",
    "sklearn.model_selection.RepeatedKFold",
    "sklearn.model_selection.RepeatedStratifiedKFold",
    "sklearn.model_selection.ShuffleSplit",
    "sklearn.model_selection.StratifiedShuffleSplit",
    "sklearn.model_selection.LeaveOneOut",
    "sklearn.model_selection.LeavePOut",
})
# Keywords that give a split or a cross-validation the groups.
GROUP_KEYWORDS = frozenset({"groups", "group"})
