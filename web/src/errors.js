/** A model file that is not what this package can sample: names the file and what is wrong. */
export class ModelContractError extends Error {
  /** @param {string} source @param {string} problem */
  constructor(source, problem) {
    super(`${source}: ${problem}`);
    this.name = 'ModelContractError';
    this.source = source;
  }
}

/** A sampling option out of range or not applicable: names the option. */
export class SettingError extends Error {
  /** @param {string} setting @param {string} problem */
  constructor(setting, problem) {
    super(`${setting}: ${problem}`);
    this.name = 'SettingError';
    this.setting = setting;
  }
}

/** A model that returned NaN or infinity: names the model and the time. */
export class NonFiniteValueError extends Error {
  /** @param {string} source @param {number} t */
  constructor(source, t) {
    super(`${source} returned a non-finite velocity at t = ${t}`);
    this.name = 'NonFiniteValueError';
    this.source = source;
  }
}
