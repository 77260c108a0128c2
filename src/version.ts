import pkg from "../package.json" with { type: "json" };

export const SOFTWARE_NAME = "weft";
export const VERSION: string = pkg.version;
