import { readFile } from "fs/promises";
import type { Config } from "./config";

/** Something that can be loaded. */
export interface Loadable<T> {
  load(path: string): Promise<T>;
}

export type Id = string | number;

export enum Level {
  Low,
  High,
}

export abstract class Store<T> implements Loadable<T> {
  protected items: Map<Id, T> = new Map();

  abstract parse(text: string): T;

  async load(path: string): Promise<T> {
    const text = await readFile(path, "utf8");
    return this.parse(text);
  }
}

export namespace Stores {
  export function create(config: Config): Store<Config> {
    return new JsonStore(config);
  }
}

@sealed
class JsonStore extends Store<Config> {
  constructor(private config: Config) {
    super();
  }

  // Logged, so that bad files show up.
  @logged
  parse(text: string): Config {
    return JSON.parse(text) as Config;
  }
}

export function level(n: number): Level {
  return n > 1 ? Level.High : Level.Low;
}
