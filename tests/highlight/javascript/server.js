#!/usr/bin/env node
// <- keyword.directive
import { readFile } from "node:fs/promises";
// <- keyword.control.import

const DEFAULT_PORT = 8080;
//    ^ constant

/** Parses `key=value` lines into an object. */
// <- comment.documentation
export function parseEnv(text, { strict = false } = {}) {
//     ^ keyword.function
//                       ^ variable.parameter
//                               ^ variable.parameter
//                                        ^ constant.builtin.boolean
  const result = {};
  for (const line of text.split(/\r?\n/)) {
  // <- keyword.control.repeat
  //              ^ keyword.control.repeat
  //                            ^ string.regexp
    if (!line.trim() || line.startsWith("#")) continue;
    // <- keyword.control.conditional
    //                                        ^ keyword.control.repeat
    const [key, ...rest] = line.split("=");
    if (strict && rest.length === 0) {
      throw new Error(`no value for ${key}`);
      // <- keyword.control.exception
      //        ^ constructor
      //              ^ string
    }
    result[key.trim()] = rest.join("=");
  }
  return result;
  // <- keyword.control.return
}

class Server {
// <- keyword.storage.type
//    ^ type
  #port = DEFAULT_PORT;
  // <- variable.other.member

  async start(file) {
  // <- keyword.storage.modifier
  //    ^ function.method
    const env = parseEnv(await readFile(file, "utf8"));
    //          ^ function
    //                   ^ keyword.control
    this.#port = Number(env.PORT ?? this.#port);
    //                           ^ operator
    console.log(`listening on ${this.#port}`);
    // <- variable.builtin
    return typeof this.#port === "number" ? this : null;
    //     ^ keyword.operator
    //                                             ^ constant.builtin
  }
}

export default Server;
