import { err, ok, type Result } from 'neverthrow';
import type { SchemaCheck } from '../http/command-validation.js';
import { tokenHeader } from '../http/request-context.js';
import type { CommandName } from '../http/route-helpers.js';
import { object } from '../http/schemas.js';
import type { FieldProblem } from '../http/validation-problems.js';
import type { SqsRecord } from './sqs-events.js';

/**
 * A command as a message body names it: `{"command": "PlaceOrder", "input": {...}}`, the input being the command's
 * fields (those an HTTP route takes in its path and its body, side by side), with who acts and the ids that tie
 * events together when the sender knows them.
 */
export interface CommandMessage {
  readonly command: CommandName;
  readonly input: Readonly<Record<string, unknown>>;
  readonly actor?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

export const MESSAGE_ERRORS = {
  /** The body is not JSON. */
  MALFORMED: 'MESSAGE.MALFORMED',
  /** The envelope or the command's input fails its schema: every problem is named, and the accepted commands listed. */
  INVALID: 'MESSAGE.INVALID',
} as const;

export interface MessageRefusal {
  readonly code: (typeof MESSAGE_ERRORS)[keyof typeof MESSAGE_ERRORS];
  readonly message: string;
  readonly problems?: readonly FieldProblem[];
}

const ACTOR = tokenHeader('who acts, recorded in every event the command appends');

/** The envelope's schema, the commands it accepts named in it. */
export const envelopeSchema = (accepted: readonly CommandName[]) =>
  object(
    {
      command: { type: 'string', enum: [...accepted] },
      input: { type: 'object' },
      actor: ACTOR,
      correlationId: tokenHeader('ties every event of one request or saga together; the message id when absent'),
      causationId: tokenHeader('the id of the message that caused this command'),
    },
    ['command', 'input'],
  );

export interface MessageChecks {
  readonly accepted: readonly CommandName[];
  readonly envelope: SchemaCheck;
  readonly actor: SchemaCheck;
}

export const messageChecks = (accepted: readonly CommandName[], compile: (schema: object) => SchemaCheck): MessageChecks => ({
  accepted,
  envelope: compile(envelopeSchema(accepted)),
  actor: compile(ACTOR),
});

/** Every problem named; when the command itself is missing, the commands accepted too (a wrong one is told them by its enum). */
const invalid = (problems: readonly FieldProblem[], accepted: readonly CommandName[]): MessageRefusal => {
  const named = problems.map((p) => `${p.field} ${p.problem}`).join('; ');
  const missing = problems.some((p) => p.field === 'message.command' && p.problem === 'is required');
  return { code: MESSAGE_ERRORS.INVALID, message: missing ? `${named}; accepted commands: ${accepted.join(', ')}` : named, problems };
};

/**
 * The message's command envelope. The actor is the envelope's `actor` or the message attribute `actor` (a String);
 * both given and different is refused rather than one silently preferred.
 */
export const commandMessageOf = (record: SqsRecord, checks: MessageChecks): Result<CommandMessage, MessageRefusal> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.body);
  } catch {
    // The body is not quoted back: it may hold anything, card numbers included.
    return err({ code: MESSAGE_ERRORS.MALFORMED, message: `the message body is not JSON; send {"command": "...", "input": {...}} with one of ${checks.accepted.join(', ')}` });
  }
  const problems = checks.envelope(parsed, 'message');
  const attribute = record.messageAttributes.actor?.stringValue;
  if (attribute !== undefined) problems.push(...checks.actor(attribute, 'attributes.actor'));
  if (problems.length > 0) return err(invalid(problems, checks.accepted));
  const envelope = parsed as CommandMessage;
  if (attribute !== undefined && envelope.actor !== undefined && attribute !== envelope.actor) {
    return err(invalid([{ field: 'message.actor', problem: 'differs from the message attribute actor; send one of them' }], checks.accepted));
  }
  const actor = envelope.actor ?? attribute;
  return ok(actor === undefined ? envelope : { ...envelope, actor });
};

/** A command's input that fails its route's schemas. */
export const inputRefusal = (problems: readonly FieldProblem[]): MessageRefusal => invalid(problems, []);
