//! Re-evaluation of a changing inventory (watch mode, the dashboard): only what changed is checked
//! again.
//!
//! Per-object rules depend on nothing but the object and the settings, so an object whose content is
//! unchanged keeps its findings. Cross-object rules are re-run when an object of a kind they read was
//! added, changed or removed ([`crate::Rule::reads_kind`]); otherwise their findings are kept too.
//! Suppressions, repeats and severity overrides are applied afresh to the union, exactly as a full
//! scan does, so an incremental result equals a full scan of the same inventory (a test proves it).
//!
//! Kept findings point into the new sources: an object's fingerprint covers its values and the
//! layout of its nodes relative to its start, so the same fingerprint means the same text, and each
//! kept location is moved by the distance the object moved.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use kubeward_diagnostics::{Finding, Location, ObjectRef, Pos, SourceId};
use kubeward_model::{Inventory, Object};
use kubeward_source::{Node, Value};

/// Findings kept between evaluations. Start with `Incremental::default()` and pass the same value to
/// every [`crate::Engine::run_incremental`] call.
#[derive(Debug, Default)]
pub struct Incremental {
    /// Per-object findings by object and fingerprint, with locations relative to the object's start.
    objects: HashMap<(ObjectRef, u64), Vec<Kept>>,
    /// Cross-object findings by rule, with locations relative to the object they point into.
    cross: HashMap<&'static str, Vec<Kept>>,
    /// Whether a previous evaluation exists (the first one runs everything).
    primed: bool,
}

/// What one incremental evaluation did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reuse {
    /// Objects checked by per-object rules because they are new or changed.
    pub objects_checked: usize,
    /// Objects whose findings were kept.
    pub objects_kept: usize,
    /// Objects present last time and gone now.
    pub objects_removed: usize,
    /// Cross-object rules run because a kind they read changed.
    pub cross_rules_run: usize,
    /// Cross-object rules whose findings were kept.
    pub cross_rules_kept: usize,
}

/// An object's start in its source: what a kept location is rebased on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Anchor {
    source: SourceId,
    start: Pos,
}

/// A finding stored with its location relative to the object it points into.
#[derive(Debug, Clone)]
struct Kept {
    finding: Finding,
    relative: Option<Relative>,
}

#[derive(Debug, Clone)]
struct Relative {
    object: ObjectRef,
    start: Pos,
    end: Pos,
}

/// The state of one evaluation, computed before the rules run.
pub(crate) struct Plan {
    /// Per object (by index): new or changed, so per-object rules must check it.
    pub(crate) changed: Vec<bool>,
    checked: usize,
    /// Fingerprint of every object, by index.
    fingerprints: Vec<u64>,
    /// Kinds with an object added, changed or removed.
    changed_kinds: HashSet<String>,
    removed: usize,
    /// No two objects share a reference (always so for a cluster; files may repeat one). Only then
    /// can a cross-object finding be tied to one object and kept.
    unique: bool,
}

impl Incremental {
    /// Compares the inventory with the previous evaluation.
    pub(crate) fn plan(&self, inventory: &Inventory) -> Plan {
        let objects = inventory.objects();
        let fingerprints: Vec<u64> = objects.iter().map(fingerprint).collect();
        let mut changed_kinds = HashSet::new();
        let mut changed = vec![false; objects.len()];
        let mut present: HashSet<(&ObjectRef, u64)> = HashSet::with_capacity(objects.len());
        for (i, object) in objects.iter().enumerate() {
            present.insert((&object.reference, fingerprints[i]));
            if !self.primed
                || !self
                    .objects
                    .contains_key(&(object.reference.clone(), fingerprints[i]))
            {
                changed[i] = true;
                changed_kinds.insert(object.reference.kind.clone());
            }
        }
        let unique = {
            let mut seen = HashSet::with_capacity(objects.len());
            objects.iter().all(|o| seen.insert(&o.reference))
        };
        let mut removed = 0;
        for (reference, print) in self.objects.keys() {
            if !present.contains(&(reference, *print)) {
                removed += 1;
                changed_kinds.insert(reference.kind.clone());
            }
        }
        Plan {
            checked: changed.iter().filter(|c| **c).count(),
            changed,
            fingerprints,
            changed_kinds,
            removed,
            unique,
        }
    }

    /// Whether a cross-object rule's kept findings still hold.
    pub(crate) fn cross_kept(&self, rule: &crate::Rule, plan: &Plan) -> bool {
        self.primed
            && plan.unique
            && self.cross.contains_key(rule.meta.id)
            && !plan.changed_kinds.iter().any(|kind| rule.reads_kind(kind))
    }

    /// The kept findings of the unchanged object at `index`, moved to where the object is now.
    pub(crate) fn object_findings(
        &self,
        plan: &Plan,
        index: usize,
        object: &Object,
    ) -> Vec<Finding> {
        let anchors = single_anchor(object);
        let print = plan.fingerprints.get(index).copied().unwrap_or_default();
        self.objects
            .get(&(object.reference.clone(), print))
            .map(|kept| kept.iter().map(|k| k.rebased(&anchors)).collect())
            .unwrap_or_default()
    }

    /// The kept findings of a cross-object rule, moved to where their objects are now.
    pub(crate) fn cross_findings(
        &self,
        rule: &'static str,
        anchors: &HashMap<ObjectRef, Anchor>,
    ) -> Vec<Finding> {
        self.cross
            .get(rule)
            .map(|kept| kept.iter().map(|k| k.rebased(anchors)).collect())
            .unwrap_or_default()
    }

    /// Stores this evaluation's raw findings (before suppressions) for the next one: every object's
    /// per-object findings and every cross-object rule's, with whether it ran or was kept.
    pub(crate) fn store(
        &mut self,
        inventory: &Inventory,
        plan: &Plan,
        per_object: &[Vec<Finding>],
        cross: &[(&'static str, Vec<Finding>, bool)],
    ) -> Reuse {
        let objects = inventory.objects();
        let mut next: HashMap<(ObjectRef, u64), Vec<Kept>> = HashMap::with_capacity(objects.len());
        for ((object, findings), print) in objects.iter().zip(per_object).zip(&plan.fingerprints) {
            let anchor = single_anchor(object);
            let kept = findings
                .iter()
                .map(|f| Kept::new(f.clone(), &object.reference, &anchor))
                .collect();
            next.insert((object.reference.clone(), *print), kept);
        }
        let containing = Containing::new(inventory);
        let mut cross_rules_run = 0;
        let mut cross_rules_kept = 0;
        self.cross.clear();
        for (rule, findings, kept) in cross {
            if *kept {
                cross_rules_kept += 1;
            } else {
                cross_rules_run += 1;
            }
            let stored = findings
                .iter()
                .map(|f| Kept {
                    finding: f.clone(),
                    relative: f.location.and_then(|l| containing.relative(l)),
                })
                .collect();
            self.cross.insert(rule, stored);
        }
        self.objects = next;
        self.primed = true;
        Reuse {
            objects_checked: plan.checked,
            objects_kept: objects.len().saturating_sub(plan.checked),
            objects_removed: plan.removed,
            cross_rules_run,
            cross_rules_kept,
        }
    }
}

impl Kept {
    fn new(finding: Finding, object: &ObjectRef, anchors: &HashMap<ObjectRef, Anchor>) -> Self {
        let relative = finding.location.and_then(|location| {
            let anchor = anchors.get(object)?;
            (anchor.source == location.source).then(|| Relative {
                object: object.clone(),
                start: relative_pos(location.span.start, anchor.start),
                end: relative_pos(location.span.end, anchor.start),
            })
        });
        Self { finding, relative }
    }

    fn rebased(&self, anchors: &HashMap<ObjectRef, Anchor>) -> Finding {
        let mut finding = self.finding.clone();
        finding.location = self.relative.as_ref().and_then(|r| {
            let anchor = anchors.get(&r.object)?;
            Some(Location {
                source: anchor.source,
                span: kubeward_diagnostics::Span::new(
                    absolute_pos(r.start, anchor.start),
                    absolute_pos(r.end, anchor.start),
                ),
            })
        });
        finding
    }
}

/// The objects of each source by start, to find the object a location points into.
struct Containing<'i> {
    by_source: HashMap<SourceId, Vec<&'i Object>>,
}

impl<'i> Containing<'i> {
    fn new(inventory: &'i Inventory) -> Self {
        let mut by_source: HashMap<SourceId, Vec<&Object>> = HashMap::new();
        for object in inventory.objects() {
            by_source.entry(object.source).or_default().push(object);
        }
        for objects in by_source.values_mut() {
            objects.sort_by_key(|o| o.root.span.start);
        }
        Self { by_source }
    }

    /// The location relative to the object whose text holds it.
    fn relative(&self, location: Location) -> Option<Relative> {
        let objects = self.by_source.get(&location.source)?;
        let after = objects.partition_point(|o| o.root.span.start <= location.span.start);
        let object = objects.get(after.checked_sub(1)?)?;
        (location.span.end <= object.root.span.end).then(|| Relative {
            object: object.reference.clone(),
            start: relative_pos(location.span.start, object.root.span.start),
            end: relative_pos(location.span.end, object.root.span.start),
        })
    }
}

/// Where every object of the inventory starts. With duplicate references the first one wins, as in
/// the inventory's own lookups.
pub(crate) fn anchors(inventory: &Inventory) -> HashMap<ObjectRef, Anchor> {
    let mut map = HashMap::with_capacity(inventory.len());
    for object in inventory.objects() {
        map.entry(object.reference.clone()).or_insert(Anchor {
            source: object.source,
            start: object.root.span.start,
        });
    }
    map
}

fn single_anchor(object: &Object) -> HashMap<ObjectRef, Anchor> {
    HashMap::from([(
        object.reference.clone(),
        Anchor {
            source: object.source,
            start: object.root.span.start,
        },
    )])
}

/// A position relative to an object's start: lines counted from the start line; columns counted from
/// the start column on that line only (later lines keep their own columns).
fn relative_pos(pos: Pos, start: Pos) -> Pos {
    let line = pos.line.saturating_sub(start.line);
    let col = if line == 0 {
        pos.col.saturating_sub(start.col)
    } else {
        pos.col
    };
    Pos { line, col }
}

fn absolute_pos(relative: Pos, start: Pos) -> Pos {
    if relative.line == 0 {
        Pos {
            line: start.line,
            col: start.col + relative.col,
        }
    } else {
        Pos {
            line: start.line + relative.line,
            col: relative.col,
        }
    }
}

/// A hash of an object's values and of its layout relative to its start: equal fingerprints mean the
/// same object text, so kept locations can be moved rather than recomputed.
pub(crate) fn fingerprint(object: &Object) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    hash_node(&object.root, object.root.span.start, &mut hasher);
    hasher.finish()
}

fn hash_node(node: &Node, start: Pos, h: &mut impl Hasher) {
    relative_pos(node.span.start, start).hash(h);
    relative_pos(node.span.end, start).hash(h);
    match &node.value {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Int(i) => (2u8, i).hash(h),
        Value::Float(f) => (3u8, f.to_bits()).hash(h),
        Value::Str(s) => (4u8, s).hash(h),
        Value::Seq(items) => {
            (5u8, items.len()).hash(h);
            for item in items.iter() {
                hash_node(item, start, h);
            }
        }
        Value::Map(entries) => {
            (6u8, entries.len()).hash(h);
            for entry in entries.iter() {
                entry.key.hash(h);
                relative_pos(entry.key_span.start, start).hash(h);
                hash_node(&entry.value, start, h);
            }
        }
    }
}
