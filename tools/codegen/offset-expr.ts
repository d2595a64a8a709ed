/**
 * Byte offsets in emitted code: a constant plus variable terms (lengths of earlier strings), so
 * fixed layouts compile to literal offsets and variable ones to a short sum.
 */
export class OffsetExpr {
  constructor(
    readonly constant: number,
    readonly terms: readonly string[] = [],
  ) {}

  plus(n: number): OffsetExpr {
    return new OffsetExpr(this.constant + n, this.terms);
  }

  plusTerm(term: string): OffsetExpr {
    return new OffsetExpr(this.constant, [...this.terms, term]);
  }

  get isConstant(): boolean {
    return this.terms.length === 0;
  }

  toString(): string {
    if (this.terms.length === 0) return String(this.constant);
    const sum = this.terms.join(" + ");
    return this.constant === 0 ? sum : `${this.constant} + ${sum}`;
  }
}
