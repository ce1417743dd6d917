import type { Request } from "./http";
// <- keyword.control.import
//     ^ keyword.control.import

export enum Level {
//     ^ keyword.storage.type
//          ^ type
  Debug = 10,
  // <- type.enum.variant
  Error = 40,
}

export interface Entry<T = unknown> {
//     ^ keyword.storage.type
//               ^ type
//                         ^ type.builtin
  readonly level: Level;
  // <- keyword.storage.modifier
  message?: string;
  //     ^ punctuation.special
  data: T;
}

type Sink = (line: string) => void;
// <- keyword.storage.type
//           ^ variable.parameter
//                         ^ operator

export abstract class Logger {
//     ^ keyword.storage.modifier
//              ^ keyword.storage.type
  private entries: Entry<unknown>[] = [];
  // <- keyword.storage.modifier

  constructor(protected readonly sink: Sink) {}
  // <- constructor
  //                             ^ variable.parameter

  abstract format(entry: Entry<unknown>): string;
  //       ^ function.method

  log<T>(level: Level, message: string, data?: T): void {
    const entry = { level, message, data } satisfies Entry<T | undefined>;
    //                                     ^ keyword.operator
    //                                                         ^ constant.builtin
    this.entries.push(entry as Entry<unknown>);
    //           ^ function.method
    //                      ^ keyword.operator
    if (level >= Level.Error) this.sink(this.format(entry));
  }
}

export function isRequest(value: unknown): value is Request {
//              ^ function
//                                               ^ keyword.operator
  return typeof value === "object" && value !== null && "url" in value;
  //                                                          ^ keyword.operator
}
