/**
 * Which target each connection of a scenario goes to, when the run judges several (`--target A:P1,B:P2`,
 * or `--nodes N`): the nodes of one service (spec/README.md §13.6). Connections are spread round-robin
 * in the order the scenario first names them ("A" on the first target, "B" on the second, "C" on the
 * first again with two), so every scenario with two sessions judges the rule across nodes: a duplicate
 * login, a DM, a room, a list, presence, typing. A name opened again (a reconnect, a retried login)
 * stays on its target. A load crowd goes round-robin by account order. With one target everything goes
 * to it, exactly as before there were several.
 *
 * The placement starts afresh with each scenario, so a scenario's sessions land on the same targets
 * whatever else the run selects (--tags, --name), and a failure can be run again alone.
 */
import type { TargetAddress } from "./suite-parameters.ts";

export interface Placement {
  target: TargetAddress;
  /** 1-based, as the report shows it ("node 2"). */
  node: number;
}

export class TargetPlacement {
  private readonly placed = new Map<string, Placement>();

  constructor(private readonly targets: readonly TargetAddress[]) {
    if (targets.length === 0) throw new Error("scenario bug: a run without a target");
  }

  /** Whether the run judges more than one target (the report then says which each session used). */
  get several(): boolean {
    return this.targets.length > 1;
  }

  /** The target of the connection called `name`: the next one round-robin the first time. */
  of(name: string): Placement {
    let placement = this.placed.get(name);
    if (placement === undefined) {
      placement = this.at(this.placed.size);
      this.placed.set(name, placement);
    }
    return placement;
  }

  /** The target of the `index`-th member of a load crowd, named `name`. */
  ofCrowdMember(name: string, index: number): Placement {
    let placement = this.placed.get(name);
    if (placement === undefined) {
      placement = this.at(index);
      this.placed.set(name, placement);
    }
    return placement;
  }

  /** Every connection placed so far, "A → node 1 (127.0.0.1:4000)", one a line; crowds summarised. */
  describe(crowdNames: ReadonlySet<string>): string {
    const lines: string[] = [];
    const crowdPerNode = new Map<number, number>();
    for (const [name, placement] of this.placed) {
      if (crowdNames.has(name)) {
        crowdPerNode.set(placement.node, (crowdPerNode.get(placement.node) ?? 0) + 1);
      } else {
        lines.push(`"${name}" → ${describePlacement(placement)}`);
      }
    }
    for (const [node, count] of [...crowdPerNode].sort((a, b) => a[0] - b[0])) {
      lines.push(`${count} load sessions → ${describePlacement(this.at(node - 1))}`);
    }
    return lines.join("\n");
  }

  private at(index: number): Placement {
    const node = index % this.targets.length;
    return { target: this.targets[node]!, node: node + 1 };
  }
}

export function describePlacement({ target, node }: Placement): string {
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  return `node ${node} (${host}:${target.port})`;
}
