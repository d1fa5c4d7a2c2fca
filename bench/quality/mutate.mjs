// TypeScript-AST mutator for the mutation benchmark (bench/quality). Enumerates mutation sites in
// a project's non-test sources deterministically (files sorted, AST walked in source order), then
// samples K of them with a seeded PRNG, so the same commit + seed always gives the same mutants.
// Operators: operator swaps (=== ↔ !==, < ↔ >=, + ↔ -, && ↔ ||, …), negated conditions (if /
// while / for / ?: conditions wrapped in !( ), a leading ! removed), deleted statements
// (expression, return and throw statements inside function bodies) and changed literals
// (numbers, strings, booleans). Type positions, imports and property names are never mutated:
// a mutant must change what the code does, not only what it says about types.
import { createHash } from 'node:crypto';
import ts from 'typescript';
import { createRng } from '../lib/prng.mjs';

const SWAPS = new Map([
  [ts.SyntaxKind.EqualsEqualsEqualsToken, '!=='],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken, '==='],
  [ts.SyntaxKind.EqualsEqualsToken, '!='],
  [ts.SyntaxKind.ExclamationEqualsToken, '=='],
  [ts.SyntaxKind.LessThanToken, '>='],
  [ts.SyntaxKind.GreaterThanToken, '<='],
  [ts.SyntaxKind.LessThanEqualsToken, '>'],
  [ts.SyntaxKind.GreaterThanEqualsToken, '<'],
  [ts.SyntaxKind.PlusToken, '-'],
  [ts.SyntaxKind.MinusToken, '+'],
  [ts.SyntaxKind.AsteriskToken, '/'],
  [ts.SyntaxKind.SlashToken, '*'],
  [ts.SyntaxKind.PercentToken, '*'],
  [ts.SyntaxKind.AmpersandAmpersandToken, '||'],
  [ts.SyntaxKind.BarBarToken, '&&'],
  [ts.SyntaxKind.QuestionQuestionToken, '&&'],
]);

/** True when `node` sits where only types, module specifiers or names live. */
function inertPosition(node) {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isTypeNode(p) || ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isModuleDeclaration(p)) return true;
    if (ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p) || ts.isDecorator(p)) return true;
  }
  const parent = node.parent;
  if (
    parent &&
    (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isEnumMember(parent) || ts.isMethodDeclaration(parent)) &&
    parent.name === node
  )
    return true;
  if (parent && ts.isElementAccessExpression(parent) && parent.argumentExpression === node && ts.isStringLiteral(node)) return true;
  return false;
}

function insideFunctionBody(node) {
  for (let p = node.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return true;
  return false;
}

/** Every mutation site of one file: { file, start, end, original, replacement, kind }. */
export function mutationSites(file, text) {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const sites = [];
  // `edit` says how to rebuild the replacement from the original span, so stored data holds
  // the project's generated tokens only, never its code: replace (a token we chose), wrap-not,
  // strip-not, delete.
  const add = (start, end, edit, kind) => {
    if (edit.type === 'replace' && text.slice(start, end) === edit.text) return;
    sites.push({ file, start, end, edit, kind });
  };
  const negate = (expr) => add(expr.getStart(sf), expr.end, { type: 'wrap-not' }, 'negate-condition');
  const visit = (node) => {
    if (ts.isBinaryExpression(node) && SWAPS.has(node.operatorToken.kind) && !inertPosition(node)) {
      add(node.operatorToken.getStart(sf), node.operatorToken.end, { type: 'replace', text: SWAPS.get(node.operatorToken.kind) }, 'operator');
    }
    if ((ts.isIfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node)) && node.expression) negate(node.expression);
    if (ts.isForStatement(node) && node.condition) negate(node.condition);
    if (ts.isConditionalExpression(node)) negate(node.condition);
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken && !inertPosition(node)) {
      add(node.getStart(sf), node.end, { type: 'strip-not' }, 'negate-condition');
    }
    if ((ts.isExpressionStatement(node) || ts.isReturnStatement(node) || ts.isThrowStatement(node)) && insideFunctionBody(node)) {
      add(node.getStart(sf), node.end, { type: 'delete' }, 'delete-statement');
    }
    if (!inertPosition(node)) {
      if (ts.isNumericLiteral(node)) {
        const v = Number(node.text);
        add(node.getStart(sf), node.end, { type: 'replace', text: String(v === 0 ? 1 : v === 1 ? 0 : v + 1) }, 'literal');
      } else if (ts.isStringLiteral(node) && !ts.isLiteralTypeNode(node.parent)) {
        add(node.getStart(sf), node.end, { type: 'replace', text: node.text === '' ? '"__mutant__"' : '""' }, 'literal');
      } else if (node.kind === ts.SyntaxKind.TrueKeyword) add(node.getStart(sf), node.end, { type: 'replace', text: 'false' }, 'literal');
      else if (node.kind === ts.SyntaxKind.FalseKeyword) add(node.getStart(sf), node.end, { type: 'replace', text: 'true' }, 'literal');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return sites;
}

/** 1-based line of a character offset. */
export function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The replacement text of a site's span. */
export function replacementOf(original, edit) {
  switch (edit.type) {
    case 'replace':
      return edit.text;
    case 'wrap-not':
      return `!(${original})`;
    case 'strip-not':
      return original.replace(/^!\s*/, '');
    case 'delete':
      return '';
    default:
      throw new Error(`unknown edit ${JSON.stringify(edit)}`);
  }
}

export const digest = (s) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/**
 * Samples `count` sites over all files ({ path, text }[], any order) with `seed`. Each mutant gets
 * a stable id, its lines (1-based, of the original text), the number of lines its replacement
 * spans, the file's line count and a digest of the original span: enough to rebuild the diff's
 * hunks, and to check the checkout, without storing the project's source.
 */
export function sampleMutants(files, count, seed) {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const all = sorted.flatMap((f) => mutationSites(f.path, f.text).map((s) => ({ ...s, text: f.text })));
  const rng = createRng(seed);
  // Fisher–Yates on a copy; take the first `count`, then restore source order for readability.
  const order = all.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const chosen = order.slice(0, count).sort((a, b) => a - b);
  return {
    sites: all.length,
    mutants: chosen.map((i, n) => {
      const s = all[i];
      const original = s.text.slice(s.start, s.end);
      const replacement = replacementOf(original, s.edit);
      const startLine = lineOf(s.text, s.start);
      const endLine = lineOf(s.text, s.end);
      return {
        id: `m${String(n + 1).padStart(3, '0')}`,
        file: s.file,
        kind: s.kind,
        start: s.start,
        end: s.end,
        edit: s.edit,
        originalDigest: digest(original),
        startLine,
        endLine,
        newLineCount: endLine - startLine + 1 + (replacement.split('\n').length - original.split('\n').length),
        fileLines: s.text.split('\n').length,
      };
    }),
  };
}

/** The text of `source` with mutant `m` applied; the span's digest must match (the checkout is the pinned one). */
export function applyMutant(source, m) {
  const original = source.slice(m.start, m.end);
  if (digest(original) !== m.originalDigest) throw new Error(`${m.id}: ${m.file} at ${m.start}-${m.end} does not hold the mutated span (wrong commit?)`);
  return source.slice(0, m.start) + replacementOf(original, m.edit) + source.slice(m.end);
}
