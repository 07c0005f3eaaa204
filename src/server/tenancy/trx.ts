import type { Kysely, Transaction } from "kysely";
import type { Database } from "../store/schema.js";

/** Trx is an open database transaction over the full schema. */
export type Trx = Transaction<Database>;

/** Executor is anything queries can run on: the database itself or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
