const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID in the lower-case form that randomUUID() and the database's ids use. */
export function isUuid(value: string | undefined): value is string {
  return value !== undefined && uuid.test(value);
}
