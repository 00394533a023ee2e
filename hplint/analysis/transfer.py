"""Transfer functions of calls: how a call moves lineage. ML objects (constructors, fit, predict,
score), splits, readers, statistics and data operations; the API knowledge comes from
`hplint.knowledge` (roles of `Api` records) and `hplint.knowledge.dataops`."""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from hplint import knowledge
from hplint.analysis.events import (
    ApplyEvent,
    EvalEvent,
    FitEvent,
    FunctionSummary,
    SplitEvent,
    update_event,
)
from hplint.analysis.frames import Frame
from hplint.analysis.lineage import (
    FULL,
    KEY_KINDS,
    LITERAL_VALUE,
    SPLIT_KINDS,
    TEST,
    TRAIN,
    UNKNOWN,
    UNKNOWN_VALUE,
    VALIDATION,
    ObjectInfo,
    Value,
    combine,
    flatten,
    held_out_kinds,
    join_kinds,
    mark_scored,
    path_kind,
    scores_of,
)
from hplint.analysis.syntax import (
    bins_from_data,
    is_early_stopping,
    is_function_form,
    is_true,
    lag_feature,
    last_part,
    method_of,
    names_statistic,
    node_text,
    node_texts,
    param_list,
    root_name,
    sorts_by_time,
    stateful_formula,
    string_parts,
)
from hplint.analysis.values import dotted_name, literal_value
from hplint.knowledge.dataops import (
    APPLY_FUNCTION_METHODS,
    APPLY_METHODS,
    CHOOSING_METHODS,
    CONCAT_FUNCTIONS,
    EARLY_STOPPING_KEYWORDS,
    EVAL_KEYWORDS,
    FILL_METHODS,
    FIT_METHODS,
    FORMULA_FUNCTIONS,
    FUNCTION_FORM_ROLES,
    JOIN_FUNCTIONS,
    JOIN_ROW_SIDES,
    KEYED_PICKS,
    LABEL_SCORING_METHODS,
    MODEL_NAMES,
    PREDICT_METHODS,
    RANKING_METHODS,
    READERS,
    ROW_COPYING_FUNCTIONS,
    SCORE_METHODS,
    STATISTIC_METHODS,
    WHICH_PICKS,
)
from hplint.knowledge.schema import Api
from hplint.analysis.copies import copied_part, stacks_rows

# Methods that make an untracked receiver a model (one union, not one per call evaluated).
_MODEL_METHODS = FIT_METHODS | PREDICT_METHODS | SCORE_METHODS

def copies_rows(keyword_nodes, keyword: str | None) -> bool:
    """Whether a row-copying call makes copies: its switch keyword is absent (default true) or literally True."""
    if keyword is None or keyword not in keyword_nodes:
        return True
    value = keyword_nodes[keyword]
    return isinstance(value, cst.Name) and value.value == "True"


class CallTransfer:
    """The call-evaluating half of the interpreter (mixed into `_Interpreter`)."""

    def _object(self, api: Api | None, node: cst.CSTNode, **fields) -> ObjectInfo:
        """A new object, noted in the facts (which unlink it when they are dropped)."""
        info = ObjectInfo(api, node, **fields)
        self.flow.objects.append(info)
        return info

    def _update(self, event: FitEvent | EvalEvent, fields: tuple) -> None:
        """A loop's later pass: `event` with the values of this pass (which may hold the event
        itself), noted in the facts (which unlink it when they are dropped)."""
        update_event(event, fields)
        self.flow.updated.add(event)

    def _stacked_copies(self, node, qualname, positional_nodes, keyword_nodes, parts, frame):
        """`pd.concat([df, minority, minority])`, `np.concatenate([X, flipped])`: a stack of a frame
        with copies of its own rows is a resampling of it (see `hplint.analysis.copies`)."""
        qualname = knowledge.normalize(qualname) if qualname else qualname
        listed = positional_nodes[0] if positional_nodes else None
        if not isinstance(listed, (cst.List, cst.Tuple)) or not stacks_rows(qualname, positional_nodes, keyword_nodes):
            return None
        part_nodes = [e.value for e in listed.elements if not isinstance(e, cst.StarredElement)]
        whole = copied_part(part_nodes, parts, self.semantic, node)
        if whole is None:
            return None
        return self._fit(node, last_part(qualname), None, None, None, "resampler", (parts[whole],),
                         (node_text(part_nodes[whole]),), (), None, frame)

    def _eval_call(self, node: cst.Call, frame: Frame) -> Value:
        func = node.func
        is_name = type(func) is cst.Name  # exact type tests, as in the interpreter's `_eval`
        site = self._site(node)
        qualname = site.qualname if site is not None else None
        api = site.api if site is not None else None
        # Local helper functions: interpret their body with the arguments' values.
        if is_name and frame.env.lookup(func.value) is not None \
                and func.value in self.flow.functions:
            return self._call_helper(node, self.flow.functions[func.value], frame)
        receiver = None
        method = None
        if type(func) is cst.Attribute:
            method = func.attr.value
            receiver = self.eval(func.value, frame)
        elif not is_name:
            self.eval(func, frame)  # `get_model()(x)`, `models[i](x)`
        args = [(arg, self.eval(arg.value, frame)) for arg in node.args]
        positional = [v for a, v in args if a.keyword is None and not a.star]
        positional_nodes = [a.value for a in node.args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: v for a, v in args if a.keyword is not None}
        keyword_nodes = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        if qualname is None and is_name:
            qualname = self.semantic.resolve_dotted(func.value)
        role = api.role if api is not None else None
        name = last_part(qualname) or (method or (func.value if is_name else ""))

        # `model(x)`: a network (or a callable model object) applied to data is a prediction; so
        # is a callable the code names a model (`self.model(x)`, a parameter `net`) applied to data
        # whose kind is known or named.
        callee = None
        if is_name:
            callee = frame.env.lookup(func.value)
        elif receiver is not None and receiver.obj is not None and method in receiver.obj.attributes:
            callee = receiver.obj.attributes[method]
        if callee is not None and positional:
            named_model = callee.obj is None and MODEL_NAMES.match(method or func.value) is not None \
                and positional[0].kind in SPLIT_KINDS
            if named_model or callee.obj is not None and (
                callee.obj.cls is not None or callee.obj.role in ("model", "estimator")
            ):
                x = positional[0]
                event = self._evaluation(node, "forward", "predict", callee.obj, (x,),
                                         node_texts(positional_nodes[:1]), frame)
                return x.with_(obj=None, items=None, literal=False, scores=x.scores | {event})
        # Functions passed to an optimizer (Optuna objectives): interpret them here, now.
        for arg, _ in args:
            ref = dotted_name(arg.value)
            if ref in self._objectives and ref in self.flow.functions:
                function = self.flow.functions[ref].node
                if function not in self._analysed_functions:
                    self._analyse_standalone(function, frame, site=node)

        # -- methods on values the interpreter tracks ---------------------------------------------
        # `module.function(...)` (`cross_validation.train_test_split`) is a function, not a method.
        is_module_function = receiver is not None and root_name(func) in self.semantic.imports \
            and receiver.obj is None
        if receiver is not None and method is not None and not is_module_function:
            obj = receiver.obj
            if obj is not None and obj.cls is not None:
                defined = method_of(obj.cls, method)
                if defined is not None:
                    summary = FunctionSummary(defined, param_list(defined))
                    inlined_args = [(None, receiver)]
                    inlined_args += [(a.keyword.value if a.keyword else None, v) for a, v in args if not a.star]
                    return self._inline(node, summary, inlined_args, frame)
            if obj is not None or method in _MODEL_METHODS:
                handled = self._object_method(node, method, receiver, obj, positional, positional_nodes,
                                              keywords, keyword_nodes, frame)
                if handled is not None:
                    return handled
            if method == "split" and (receiver.obj is not None and receiver.obj.role == "splitter"):
                return self._kfold(node, receiver.obj, positional, positional_nodes, frame)
            if method == "train_test_split":
                split = self._split_event(node, "hf_split", (node_text(func.value),), (receiver,), frame)
                split.outputs = [("train", TRAIN), ("test", TEST)]
                return receiver.with_(split_dict=True, split=split, evidence="split",
                                      items=None, kind=receiver.kind)
            if method in WHICH_PICKS and receiver.scores and receiver.collection:
                self._record_pick(node, receiver.scores, frame)
                return receiver.with_(items=None)
            if receiver.scores and method in ("max", "min", "mean", "sort_values", "sort"):
                return receiver.with_(items=None)  # the best score, not yet a candidate
            if method in LABEL_SCORING_METHODS:
                scored = self._label_scores(node, method, receiver, positional, positional_nodes, frame)
                if scored is not None:
                    return scored
            if method in RANKING_METHODS or method in CHOOSING_METHODS:
                ranked = self._ranked(node, receiver, frame) if method in RANKING_METHODS \
                    else self._chosen(node, receiver)
                if ranked is not None:
                    return ranked
            if method in STATISTIC_METHODS and receiver.obj is None and not receiver.literal \
                    and not receiver.scores and (receiver.kind != UNKNOWN or receiver.sources):
                return self._statistic(node, method, receiver, (node_text(func.value),), frame)
            if method in FILL_METHODS:
                result = self._apply_statistics(node, [receiver, *positional, *keywords.values()], frame)
                if is_true(keyword_nodes.get("inplace")):
                    root = root_name(func.value)
                    if root is not None and frame.env.lookup(root) is not None:
                        old = frame.env.lookup(root)
                        frame.env[root] = old.with_(fits=old.fits | result.fits)
                return result.with_(kind=receiver.kind, evidence=receiver.evidence, split=receiver.split)
            if method in ("transform", "agg", "aggregate") and positional_nodes and receiver.obj is None \
                    and names_statistic(positional_nodes[0]) \
                    and (receiver.sources or receiver.kind != UNKNOWN):
                # `df.groupby("city")["price"].transform("mean")`: target or group encoding.
                event = self._statistic(node, str(literal_value(positional_nodes[0])), receiver,
                                        (node_text(func.value),), frame).statistic
                return self._apply_statistics(node, [receiver, Value(statistic=event)], frame)
            if method in APPLY_FUNCTION_METHODS and positional_nodes and receiver.obj is None:
                applied = self._apply_function(node, positional_nodes[0], receiver, frame)
                if applied is not None:
                    return applied
            if method == "sample" and ("frac" in keywords or positional):
                return receiver.with_(items=None, literal=False)
            if method == "shift" and "freq" not in keyword_nodes:
                # Lag features: rows take values of their neighbours in time. (`shift(freq=...)`
                # moves a time index, not values between rows.)
                return receiver.with_(time_order=node, items=None)
            if method in ("sort_values", "sort_index", "set_index") and sorts_by_time(node):
                return receiver.with_(time_order=node, items=None)
            if method in ("items", "values", "keys") and receiver.items is not None:
                return receiver
            if method in ("append", "concat") and receiver.items is None and receiver.sources:
                # DataFrame.append: a new frame with the rows of both, the receiver unchanged.
                return combine([receiver, *positional]).with_(items=None)
            if method == "align" and positional:
                return Value(items=(receiver, positional[0]), sources=receiver.sources)
            if method in ("append", "extend", "add", "update", "insert", "put"):
                root = root_name(func.value)
                added = combine([*positional, *keywords.values()]) if (positional or keywords) else Value()
                if root is not None:
                    old = frame.env.lookup(root) or Value()
                    items = (*(old.items or ()), *positional) if old.items is not None or not old.sources else None
                    if old.obj is None:
                        frame.env[root] = combine([old, added]).with_(
                            items=items if items is not None and len(items) < 50 else None,
                            kind=join_kinds([old.kind, added.kind]) if old.sources or old.kind != UNKNOWN else added.kind,
                            collection=bool(added.scores) or old.collection,
                        )
                return UNKNOWN_VALUE
            if method in ("index",) and positional and positional[0].scores and receiver.collection:
                self._record_pick(node, positional[0].scores, frame)

        # -- free functions -----------------------------------------------------------------------
        if role == "split_function":
            return self._train_test_split(node, name, positional, positional_nodes, keywords, frame)
        if role in ("cv_scorer",):
            return self._cv_scorer(node, api, positional, positional_nodes, keywords, keyword_nodes, frame)
        if role == "metric":
            data = tuple(positional) + tuple(v for k, v in keywords.items() if k.startswith("y"))
            mark_scored(data)
            event = self._evaluation(node, name, "metric", None, data, node_texts(positional_nodes), frame)
            return Value(scores=frozenset({event}) | scores_of(data))
        if role == "booster_train":
            return self._booster_train(node, api, positional, positional_nodes, keywords, keyword_nodes, frame)
        if role in FUNCTION_FORM_ROLES and api is not None and is_function_form(api) and positional:
            # `scale(X)`, `minmax_scale(X)`: fit and transform in one call.
            return self._fit_transform_call(node, name, api, role, positional[0], positional_nodes[0], frame)
        if (qualname or "") in FORMULA_FUNCTIONS and stateful_formula(node, FORMULA_FUNCTIONS[qualname][0]):
            # `dmatrices("y ~ standardize(x)", df)`: a scaler fitted on the formula's data.
            where = FORMULA_FUNCTIONS[qualname][1]
            data_node = positional_nodes[where] if len(positional_nodes) > where else keyword_nodes.get("data")
            data = positional[where] if len(positional) > where else keywords.get("data")
            if data is not None:
                return self._fit_transform_call(node, name, None, "preprocessor", data, data_node, frame)
        if name in ("qcut", "cut") and positional and (qualname or "").startswith("pandas") \
                and bins_from_data(node):
            # Bins computed from the data's quantiles (qcut) or range (cut with a bin count).
            return self._fit_transform_call(node, name, None, "statistic", positional[0], positional_nodes[0],
                                            frame)
        if role in ("estimator", "preprocessor", "feature_selector", "resampler", "search", "pipeline",
                    "splitter", "model", "trainer", "callback", "training_config", "data_loader",
                    "hpo_study") and role is not None:
            return self._construct(node, api, role, positional, keywords, keyword_nodes, frame)
        if is_name and func.value in self.semantic.classes:
            # An instance of a class of this file (a Dataset, a model, a wrapper): it holds the rows
            # it was given, and its methods are interpreted when called.
            class_info = self.semantic.classes[func.value]
            base_api = next((knowledge.lookup(b) for b in class_info.bases if knowledge.lookup(b)), None)
            info = self._object(base_api, node, cls=class_info.node)
            data = [v for v in [*positional, *keywords.values()] if v.obj is None and not v.literal]
            instance = combine(data).with_(obj=info) if data else Value(obj=info)
            self._instances[class_info.node] = instance
            init = method_of(class_info.node, "__init__")
            if init is not None:
                # Its attributes (`self.test_loader = test_loader`) take the call site's lineage.
                init_args = [(None, instance)]
                init_args += [(a.keyword.value if a.keyword else None, v) for a, v in args if not a.star]
                self._inline(node, FunctionSummary(init, param_list(init)), init_args, frame)
            return instance
        if name in WHICH_PICKS or name in KEYED_PICKS:
            scores = scores_of([*positional, *keywords.values()])
            if scores:
                collected = any(v.collection for v in positional)
                if collected and (name in WHICH_PICKS or "key" in keyword_nodes):
                    self._record_pick(node, scores, frame)
                return Value(scores=scores, collection=collected and name == "sorted")
        if name in RANKING_METHODS and positional and (receiver is None or is_module_function):
            ranked = self._ranked(node, positional[0], frame)  # `np.argsort(F)`
            if ranked is not None:
                return ranked
        if name in STATISTIC_METHODS and positional and (positional[0].kind != UNKNOWN or positional[0].sources) \
                and not positional[0].literal and (qualname or "").startswith(("numpy", "statistics", "torch")):
            return self._statistic(node, name, positional[0], node_texts(positional_nodes[:1]), frame)
        if (qualname or "") in ROW_COPYING_FUNCTIONS and positional and not positional[0].literal \
                and (positional[0].sources or positional[0].kind != UNKNOWN) and copies_rows(
                keyword_nodes, ROW_COPYING_FUNCTIONS[qualname]):
            # `resample(minority, replace=True)`, `np.repeat(X, 3, axis=0)`: a resampling of its rows.
            event = self._fit(node, name, None, None, None, "resampler", (positional[0],),
                              node_texts(positional_nodes[:1]), (), None, frame)
            return positional[0].with_(resampled=positional[0].resampled | {event}, obj=None, items=None,
                                       literal=False)
        if name in CONCAT_FUNCTIONS and positional and (receiver is None or is_module_function):
            parts = positional[0].items if positional[0].items is not None else tuple(positional)
            stacked = combine(parts).with_(items=None)
            copied = self._stacked_copies(node, qualname, positional_nodes, keyword_nodes, parts, frame)
            if name in JOIN_FUNCTIONS and len(positional) >= 2:  # `pd.merge(df, features)`
                return stacked.with_(resampled=_joined_resampled(name, positional, keyword_nodes))
            return stacked if copied is None else stacked.with_(resampled=stacked.resampled | {copied})
        qualname = knowledge.normalize(qualname) if qualname else qualname
        if name == "load_data" and (qualname or "").startswith("keras"):
            return self._keras_load_data(node, frame)
        # Data read from files: a file called test holds test data.
        if READERS.match(name) or (qualname or "").startswith(("sklearn.datasets.", "keras.datasets",
                                                               "torchvision.datasets", "datasets.")):
            return self._read(node, name, qualname, positional_nodes, keyword_nodes, frame)
        if name in ("zip", "enumerate") and receiver is None and positional:
            # Iterated as tuples: `for i, (tr, va) in enumerate(kf.split(X))`, `zip(names, models)`.
            elements = [self._element(v, n, frame) for v, n in zip(positional, positional_nodes)]
            items = (LITERAL_VALUE, *elements) if name == "enumerate" else tuple(elements)
            return combine(elements).with_(items=items)
        # Any other call: its result carries the rows and state of its data arguments.
        data_args = [v for v in [*positional, *keywords.values()] if v.obj is None and not v.literal]
        if receiver is not None and receiver.obj is None:
            data_args.insert(0, receiver)
        if not data_args:
            return Value(sources=frozenset({node}))
        if any(v.statistic is not None for v in data_args) and any(v.statistic is None for v in data_args):
            return self._apply_statistics(node, data_args, frame)  # `df["c"].map(means)`, `X.sub(X.mean())`
        merged = combine(data_args)
        if name == "range" and receiver is None:
            return merged.with_(items=None, literal=all(v.literal for v in positional))
        if receiver is not None and receiver.obj is None and receiver.items is not None \
                and name in ("copy", "items", "values", "tolist"):
            return receiver
        if len(data_args) == 1:
            return data_args[0].with_(items=None, obj=None, literal=False, statistic=None,
                                      split_dict=data_args[0].split_dict)
        if receiver is not None and receiver.obj is None and (receiver.sources or receiver.kind != UNKNOWN):
            # `df.merge(other)`, `X.reindex(columns=other.columns)`: the receiver's rows, with what
            # the other arguments learned.
            resampled = merged.resampled
            if name in JOIN_FUNCTIONS and positional:
                resampled = _joined_resampled(name, [receiver, positional[0]], keyword_nodes)
            return receiver.with_(items=None, literal=False, statistic=None, fits=merged.fits,
                                  resampled=resampled, scores=merged.scores,
                                  time_order=receiver.time_order or lag_feature(merged.time_order))
        if name in JOIN_FUNCTIONS and len(positional) >= 2:  # `pd.merge_asof(trades, quotes)`
            return merged.with_(resampled=_joined_resampled(name, positional, keyword_nodes))
        return merged

    # -- ML objects ---------------------------------------------------------------------------------
    def _construct(self, node: cst.Call, api: Api, role: str, positional, keywords, keyword_nodes,
                   frame: Frame) -> Value:
        parts = []
        for value in [*positional, *keywords.values()]:
            if value.obj is not None:
                parts.append(value.obj)
            for item in value.items or ():
                if item.obj is not None:
                    parts.append(item.obj)
                for inner in item.items or ():
                    if inner.obj is not None:
                        parts.append(inner.obj)
        info = self._object(api, node, parts=tuple(parts))
        callbacks = keywords.get("callbacks")
        if callbacks is not None:
            info.callbacks = callbacks.items or (callbacks,)
        if role == "trainer":
            info.config = keywords.get("args") or (positional[1] if len(positional) > 1 else None)
            train = keywords.get("train_dataset")
            evaluation = keywords.get("eval_dataset")
            if train is not None:
                self._fit(node, "Trainer", None, info, api, role, (train,),
                          (node_text(keyword_nodes["train_dataset"]),), (evaluation,) if evaluation else (),
                          self._trainer_early_stopping(info, keyword_nodes), frame)
        if role == "data_loader" or role == "training_config":
            data = positional[:1] or [keywords[k] for k in ("dataset",) if k in keywords]
            if role == "data_loader" and data:
                return data[0].with_(obj=None, items=None)
            return Value(obj=info, literal=False, items=None, kind=UNKNOWN)
        return Value(obj=info)

    def _fit_transform_call(self, node, name, api, role, data: Value, data_node, frame: Frame) -> Value:
        event = self._fit(node, name, None, None, api, role, (data,), (node_text(data_node),), (), None, frame)
        return data.with_(fits=data.fits | {event}, obj=None, items=None, literal=False)

    def _trainer_early_stopping(self, info: ObjectInfo, keyword_nodes) -> cst.CSTNode | None:
        for value in info.callbacks:
            if value.obj is not None and is_early_stopping(value.obj):
                return value.obj.node
        config = info.config
        if config is not None and config.obj is not None and isinstance(config.obj.node, cst.Call):
            for arg in config.obj.node.args:
                if arg.keyword is not None and arg.keyword.value == "load_best_model_at_end" and is_true(arg.value):
                    return arg
        return None

    def _object_method(self, node, method, receiver: Value, obj: ObjectInfo | None, positional,
                       positional_nodes, keywords, keyword_nodes, frame: Frame) -> Value | None:
        receiver_text = node_text(node.func.value)
        api = obj.api if obj is not None else None
        role = obj.role if obj is not None else None
        if method in FIT_METHODS or (method == "search" and role == "hpo_study"):
            data = list(positional[:2])
            texts = list(node_texts(positional_nodes[:2]))
            for key in ("X", "x", "y", "train_data", "dataset", "generator", "train_dataloaders"):
                if key in keywords and len(data) < 2:
                    data.append(keywords[key])
                    texts.append(node_text(keyword_nodes[key]))
            if not data and obj is None:
                return None
            eval_values = []
            for key in EVAL_KEYWORDS:
                if key in keywords:
                    value = keywords[key]
                    eval_values.extend(flatten(value))
            stopping = self._fit_early_stopping(obj, keywords, keyword_nodes)
            if obj is None:
                obj = self._object(None, node)
            if role in ("pipeline", None) and method == "fit_transform":
                # Only transformers have fit_transform: a pipeline used as one (FeatureUnion,
                # ColumnTransformer), or a class the knowledge base does not know (DataFrameMapper).
                role = "preprocessor"
            event = self._fit(node, method, receiver_text, obj, api, role, tuple(data), tuple(texts),
                              tuple(eval_values), stopping, frame)
            x = data[0] if data else UNKNOWN_VALUE
            if method in ("fit_transform",):
                transformed = x.with_(fits=x.fits | {event}, obj=None, items=None, literal=False)
                return transformed
            if method in ("fit_resample", "fit_sample"):
                items = tuple(v.with_(resampled=v.resampled | {event}, items=None, obj=None) for v in data)
                return combine(items).with_(items=items, resampled=x.resampled | {event})
            if method == "fit_predict":
                return x.with_(obj=None, items=None)
            if method in ("fit", "partial_fit"):
                return receiver  # fit returns the estimator itself
            return Value(obj=None, sources=frozenset({node}))
        if method in SCORE_METHODS or method in PREDICT_METHODS or (
            obj is not None and method in APPLY_METHODS
        ):
            data = list(positional[:2])
            texts = list(node_texts(positional_nodes[:2]))
            for key in ("X", "x", "y", "eval_dataset", "test_dataset", "dataset", "generator"):
                if key in keywords:
                    data.append(keywords[key])
                    texts.append(node_text(keyword_nodes[key]))
            if obj is None and not data:
                return None
            if obj is not None and data:
                key = self._key(node, frame)
                self._apply_keys[key] = ApplyEvent(node, method, obj, tuple(data),
                                                   frame.sites[0] if frame.sites else None, obj.last_fit)
            x = data[0] if data else UNKNOWN_VALUE
            fitted = obj.last_fit if obj is not None else None
            learned = frozenset({fitted}) if fitted is not None else frozenset()
            if method in SCORE_METHODS or (obj is not None and obj.role == "trainer" and method == "evaluate"):
                event = self._evaluation(node, method, "score", obj, tuple(data), tuple(texts), frame)
                return Value(scores=frozenset({event}))
            if method in PREDICT_METHODS:
                event = self._evaluation(node, method, "predict", obj, tuple(data), tuple(texts), frame)
                return x.with_(obj=None, items=None, literal=False, fits=x.fits | learned,
                               predictions=x.predictions | {event})
            return x.with_(obj=None, items=None, literal=False, fits=x.fits | learned)
        if obj is not None and method == "split" and obj.role == "splitter":
            return None
        if obj is not None and method in ("compile", "set_params", "add", "to", "cuda", "eval", "train"):
            return receiver
        if obj is not None:
            return Value(sources=frozenset({node}))
        return None

    def _fit_early_stopping(self, obj: ObjectInfo | None, keywords, keyword_nodes) -> cst.CSTNode | None:
        for key in EARLY_STOPPING_KEYWORDS:
            if key in keyword_nodes and literal_value(keyword_nodes[key]) not in (None, False, 0):
                return keyword_nodes[key]
        if obj is not None and isinstance(obj.node, cst.Call):
            for arg in obj.node.args:
                if arg.keyword is not None and arg.keyword.value in EARLY_STOPPING_KEYWORDS \
                        and literal_value(arg.value) not in (None, False, 0, "auto"):
                    return arg
        for value in [keywords.get("callbacks"), *(obj.callbacks if obj else ())]:
            if value is None:
                continue
            for item in value.items or (value,):
                if item.obj is not None and is_early_stopping(item.obj):
                    return item.obj.node
        return None

    def _fit(self, node, method, receiver_text, obj, api, role, data, texts, eval_values, stopping,
             frame: Frame) -> FitEvent:
        site = self._site(node)
        key = self._key(node, frame)
        event = self._fit_keys.get(key)
        fields = (node, method, receiver_text, obj, api, role, tuple(data), tuple(texts),
                  tuple(eval_values), stopping, self._loops(node, frame),
                  site.scope if site else None, frame.sites[0] if frame.sites else None)
        if event is None:
            event = self._fit_keys[key] = FitEvent(*fields)
        else:  # a loop's second pass: the same event, with the data values of the later pass
            if event.obj is not None and event in event.obj.fits:
                event.obj.fits.remove(event)
            self._update(event, fields)
        if obj is not None:
            obj.fits.append(event)
        if frame.function is not None and frame.function.name.value in self.flow.functions:
            summary = self.flow.functions[frame.function.name.value]
            for value in data:
                for source in value.sources:
                    if isinstance(source, tuple) and source[0] == "param" and source[1] is frame.function:
                        summary.fits_params.add(source[2])
        return event

    def _evaluation(self, node, method, role, obj, data, texts, frame: Frame) -> EvalEvent:
        site = self._site(node)
        fields = (node, method, role, obj, tuple(data), tuple(texts), self._loops(node, frame),
                  site.scope if site else None, frame.sites[0] if frame.sites else None)
        key = self._key(node, frame)
        event = self._eval_keys.get(key)
        if event is None:
            event = self._eval_keys[key] = EvalEvent(*fields)
        else:
            self._update(event, fields)
        return event

    def _statistic(self, node: cst.Call, method: str, data: Value, texts, frame: Frame) -> Value:
        event = self._statistic_event(node, method, "statistic", data, texts, frame)
        return Value(statistic=event, kind=UNKNOWN, scores=data.scores)

    def _statistic_event(self, node, method: str, role: str, data: Value, texts, frame: Frame) -> FitEvent:
        """State learned from `data` that is no fit until it is used (kept in `_statistics`)."""
        site = self._site(node)
        fields = (node, method, None, None, None, role, (data,), tuple(texts), (), None,
                  self._loops(node, frame), site.scope if site else None,
                  frame.sites[0] if frame.sites else None)
        event = self._statistics.get(self._key(node, frame))
        if event is None:
            event = self._statistics[self._key(node, frame)] = FitEvent(*fields)
        else:
            self._update(event, fields)
        return event

    def _apply_statistics(self, node, values: list[Value], frame: Frame) -> Value:
        """Data combined with a statistic of data (`X - X.mean()`, `fillna(X.mean())`)."""
        stats = [v.statistic for v in values if v.statistic is not None]
        data = [v for v in values if v.statistic is None and not v.literal and v.obj is None
                and (v.sources or v.kind != UNKNOWN)]
        result = combine(data) if data else UNKNOWN_VALUE
        for event in stats:
            if not data:
                continue
            self._fit_keys[self._key(event.node, frame)] = event
            result = result.with_(fits=result.fits | {event})
            if data:
                self._apply_keys[self._key(node, frame) + (event,)] = ApplyEvent(
                    node, "statistic", None, tuple(data), frame.sites[0] if frame.sites else None, event
                )
        if not data and stats:
            return Value(statistic=stats[0])
        return result

    # -- splits ---------------------------------------------------------------------------------------
    def _split_event(self, node, method, sources, inputs, frame: Frame) -> SplitEvent:
        key = self._key(node, frame)
        event = self._split_keys.get(key)
        if event is None:
            event = self._split_keys[key] = SplitEvent(node, method, tuple(sources), tuple(inputs))
        event.inputs = tuple(inputs)
        event.site = frame.sites[0] if frame.sites else None
        return event

    def _train_test_split(self, node, name, positional, positional_nodes, keywords, frame: Frame) -> Value:
        arrays = positional
        texts = node_texts(positional_nodes)
        if name == "random_split":
            dataset = positional[0] if positional else UNKNOWN_VALUE
            lengths = positional_nodes[1] if len(positional_nodes) > 1 else None
            count = len(lengths.elements) if isinstance(lengths, (cst.List, cst.Tuple)) else 2
            split = self._split_event(node, "random_split", texts[:1], (dataset,), frame)
            kinds = held_out_kinds(dataset.kind, count)
            items = tuple(dataset.with_(kind=k, evidence="split", split=split, items=None, obj=None) for k in kinds)
            split.outputs = [(None, k) for k in kinds]
            return Value(items=items, sources=dataset.sources)
        split = self._split_event(node, "train_test_split", texts, tuple(arrays), frame)
        items = []
        for value in arrays:
            held_out = held_out_kinds(value.kind, 2)
            for kind in held_out:
                items.append(value.with_(kind=kind, evidence="split", split=split, items=None, obj=None,
                                         literal=False))
        split.outputs = [(None, v.kind) for v in items]
        return Value(items=tuple(items), sources=combine(arrays).sources if arrays else frozenset())

    def _kfold(self, node, splitter: ObjectInfo, positional, positional_nodes, frame: Frame) -> Value:
        data = positional[0] if positional else UNKNOWN_VALUE
        split = self._split_event(node, "kfold", node_texts(positional_nodes[:1]), (data,), frame)
        split.splitter = splitter
        split.outputs = [(None, TRAIN), (None, VALIDATION)]
        train = Value(kind=TRAIN, evidence="split", split=split, sources=data.sources, indices=True)
        held = Value(kind=VALIDATION if data.kind != TEST else TEST, evidence="split", split=split,
                     sources=data.sources, indices=True)
        return Value(items=(train, held), sources=data.sources)

    def _read(self, node, name, qualname, positional_nodes, keyword_nodes, frame: Frame) -> Value:
        kind = None
        evidence = "path"
        for arg in (*positional_nodes[:1], *(keyword_nodes.get(k) for k in ("path", "filepath_or_buffer", "root"))):
            text = literal_value(arg) if arg is not None else None
            if isinstance(text, str):
                kind = path_kind(text)
                break
            if isinstance(arg, (cst.BinaryOperation, cst.FormattedString, cst.Call)):
                for string in string_parts(arg):
                    kind = path_kind(string) or kind
        split_keyword = keyword_nodes.get("split")
        if isinstance(literal_value(split_keyword), str):
            kind = KEY_KINDS.get(str(literal_value(split_keyword)).split("[", 1)[0].lower(), kind)
            evidence = "key"
        train_keyword = keyword_nodes.get("train")
        if train_keyword is not None and literal_value(train_keyword) in (True, False):
            kind = TRAIN if literal_value(train_keyword) else TEST
            evidence = "key"
        if evidence == "path" and not self._paired_files:
            kind = None
        value = Value(kind=kind or FULL, evidence=evidence if kind else "", sources=frozenset({node}))
        if name in ("load_dataset", "load_from_disk") and split_keyword is None:
            return value.with_(split_dict=True)
        return value

    def _keras_load_data(self, node, frame: Frame) -> Value:
        split = self._split_event(node, "keras_load_data", (), (), frame)
        split.outputs = [(None, TRAIN), (None, TEST)]
        parts = []
        for kind in (TRAIN, TEST):
            part = Value(kind=kind, evidence="key", split=split, sources=frozenset({node}))
            parts.append(Value(kind=kind, evidence="key", split=split, sources=frozenset({node}),
                               items=(part, part)))
        return Value(items=tuple(parts), sources=frozenset({node}))

    def _cv_scorer(self, node, api, positional, positional_nodes, keywords, keyword_nodes, frame) -> Value:
        estimator = positional[0] if positional else keywords.get("estimator", UNKNOWN_VALUE)
        data = list(positional[1:3])
        texts = list(node_texts(positional_nodes[1:3]))
        for key in ("X", "y"):
            if key in keywords:
                data.append(keywords[key])
                texts.append(node_text(keyword_nodes[key]))
        event = self._evaluation(node, last_part(api.qualname), "cv", estimator.obj, tuple(data), tuple(texts), frame)
        return Value(scores=frozenset({event}))

    def _booster_train(self, node, api, positional, positional_nodes, keywords, keyword_nodes, frame) -> Value:
        data = positional[1:2] or [keywords[k] for k in ("dtrain", "train_set", "pool") if k in keywords]
        texts = node_texts(positional_nodes[1:2]) or tuple(node_text(keyword_nodes[k]) for k in ("dtrain", "train_set", "pool") if k in keyword_nodes)
        eval_values = []
        for key in EVAL_KEYWORDS:
            if key in keywords:
                eval_values.extend(flatten(keywords[key]))
        stopping = self._fit_early_stopping(None, keywords, keyword_nodes)
        info = self._object(api, node)
        self._fit(node, "train", None, info, api, "booster_train", tuple(data), tuple(texts),
                  tuple(eval_values), stopping, frame)
        return Value(obj=info)


def _joined_resampled(name: str, sides: Sequence[Value], keyword_nodes: dict[str, cst.BaseExpression]) -> frozenset:
    """The resamplings a join's result holds: those of the sides whose rows it keeps (`how`), not
    those of a side whose columns are only looked up by key."""
    how = keyword_nodes.get("how")
    kept = JOIN_ROW_SIDES.get(literal_value(how) if how is not None else JOIN_FUNCTIONS[name], (0, 1))
    return frozenset().union(*(sides[index].resampled for index in kept if index < len(sides)))
