/**
 * Shapes of the synth diff: what `compare` produces, what `risk` adds and what `render` prints.
 * Everything here is plain data (JSON-serialisable) so the JSON output is the report itself.
 */

/** A parsed `cdk.tf.json` (Terraform JSON configuration) as cdktf writes it. */
export interface TfJson {
  readonly [block: string]: unknown;
}

/** The synthesized stacks of one revision, by stack name. */
export type StackSet = Readonly<Record<string, TfJson>>;

/** What kind of configuration block an entity is. */
export type EntityKind =
  | "resource"
  | "data"
  | "output"
  | "provider"
  | "module"
  | "variable"
  | "local"
  | "terraform"
  | "other";

/** One addressable block of a stack (`aws_s3_bucket.logs`, `data.aws_vpc.main`, `output.x`…). */
export interface Entity {
  readonly kind: EntityKind;
  /** Resource or data source type (`aws_s3_bucket`); absent for outputs, providers… */
  readonly type?: string;
  readonly name: string;
  readonly address: string;
  /** The block, normalised: cdktf metadata (`//`) removed, embedded JSON/YAML parsed. */
  readonly body: unknown;
}

/** How an attribute changed. `reordered`: same elements, other order (keyed lists only). */
export type ChangeKind = "added" | "removed" | "changed" | "reordered";

/** One attribute-level difference inside an entity. */
export interface AttributeChange {
  /**
   * Where, e.g. `vpc_config.subnet_ids`, `values[0]<yaml>.controller.replicas`,
   * `policy<json>.Statement[Sid=Read].Action`. `<json>`/`<yaml>` marks a string that was parsed.
   */
  readonly path: string;
  readonly kind: ChangeKind;
  /** Old value (absent for `added`); embedded documents are shown parsed. */
  readonly old?: unknown;
  /** New value (absent for `removed`). */
  readonly new?: unknown;
  /** A short hint, e.g. `+b −a` for a list of scalars, or `reordered`. */
  readonly note?: string;
}

/** An entity present on one side only. */
export interface EntitySummary {
  readonly address: string;
  readonly kind: EntityKind;
  readonly type?: string;
  /** The identifying attributes (e.g. `name = "x"`), to tell entities apart in the report. */
  readonly identity?: string;
}

/** An entity present on both sides (or moved with a `moved` block) whose body differs. */
export interface EntityChange {
  readonly address: string;
  /** Set when a `moved` block maps the old address to this one. */
  readonly movedFrom?: string;
  readonly kind: EntityKind;
  readonly type?: string;
  readonly changes: readonly AttributeChange[];
  /**
   * Set when a force-new attribute changes (`force-new.ts`): Terraform destroys and recreates the
   * resource. `possible` when only Terraform references change (the values are known at plan
   * time). Absent for an in-place update.
   */
  readonly replace?: "certain" | "possible";
}

/** A removed + added pair of the same type with the same identifying attributes. */
export interface RenameCandidate {
  readonly kind: EntityKind;
  readonly type: string;
  readonly from: string;
  readonly to: string;
  /** What matched: the identifying attributes, or `identical body`. */
  readonly matchedOn: string;
  /** Differences between the old and the new block (besides the address). */
  readonly changes: readonly AttributeChange[];
}

export type StackStatus = "added" | "removed" | "changed" | "unchanged";

/** The comparison of one stack. */
export interface StackDiff {
  readonly stack: string;
  readonly status: StackStatus;
  /** Entities only in head (renamed ones excluded, see `renamed`). */
  readonly added: readonly EntitySummary[];
  /** Entities only in base (renamed and forgotten ones excluded): Terraform destroys them. */
  readonly removed: readonly EntitySummary[];
  /** Entities only in base that a `removed { lifecycle { destroy = false } }` block forgets: not destroyed. */
  readonly forgotten: readonly EntitySummary[];
  readonly changed: readonly EntityChange[];
  /** Probable renames (Terraform destroys `from` and creates `to`). */
  readonly renamed: readonly RenameCandidate[];
}

export type Severity = "high" | "medium";

export type RiskKind =
  | "stateful-deletion"
  | "deletion"
  | "replacement"
  | "eniconfig-change"
  | "rename"
  | "version-jump"
  | "iam-widening"
  | "protection-removed"
  | "backend-change"
  | "stack-removed";

/** Something a reviewer must look at before approving. */
export interface RiskFlag {
  readonly severity: Severity;
  readonly kind: RiskKind;
  readonly stack: string;
  readonly address: string;
  readonly message: string;
  /** Supporting lines (changed attributes, new grants…). */
  readonly details?: readonly string[];
}

/** Counts per stack, as in `terraform plan` (a rename or a certain replacement counts as one add and one destroy). */
export interface StackCounts {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

/** A subnet whose address or AZ differs between the revisions (the IP plan before and after). */
export interface SubnetChange {
  readonly stack: string;
  readonly address: string;
  /** The `Name` tag. */
  readonly name?: string;
  readonly status: "re-addressed" | "moved" | "added" | "removed";
  readonly azBefore?: string;
  readonly azAfter?: string;
  /** CIDR in the base (absent for an added subnet). */
  readonly before?: string;
  /** CIDR in the head (absent for a removed subnet). */
  readonly after?: string;
}

/** The whole report: the JSON output is exactly this object. */
export interface DiffReport {
  readonly base: string;
  readonly head: string;
  /** Caveats about how the report was produced (e.g. dependencies differ between revisions). */
  readonly notes: readonly string[];
  readonly summary: {
    readonly stacks: number;
    readonly stacksChanged: number;
    readonly added: number;
    readonly changed: number;
    readonly removed: number;
    readonly risks: { readonly high: number; readonly medium: number };
  };
  readonly risks: readonly RiskFlag[];
  /** Subnets re-addressed, moved, added or removed: the IP plan before and after. */
  readonly subnets: readonly SubnetChange[];
  readonly stacks: readonly StackDiff[];
}
