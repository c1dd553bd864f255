// Filled in by the foundation: builds one migrated template database per run.
export default async function setup() {}
