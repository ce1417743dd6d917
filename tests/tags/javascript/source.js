// A small event bus.
import { EventEmitter } from "events";
const path = require("path");

export const MAX_LISTENERS = 10;

/**
 * Routes named events to handlers.
 */
export class Bus extends EventEmitter {
  constructor(name) {
    super();
    this.name = name;
  }

  // Registers a handler.
  on(event, handler) {
    validate(handler);
    return super.on(event, handler);
  }
}

function validate(handler) {
  if (typeof handler !== "function") {
    throw new TypeError("not a function");
  }
}

const makeBus = (name) => {
  const bus = new Bus(name);
  bus.setMaxListeners(MAX_LISTENERS);
  return bus;
};

module.exports.join = function (a, b) {
  return path.join(a, b);
};

export default makeBus;
