import { DomainError } from '../../errors/domain-error.js';

/**
 * Opaque, globally unique ids: base64url of "Type:localId". Clients must not
 * parse them; `node(id:)` resolves any of them.
 */
export function toGlobalId(typeName: string, localId: string): string {
  return Buffer.from(`${typeName}:${localId}`, 'utf8').toString('base64url');
}

export function fromGlobalId(globalId: string): { typeName: string; localId: string } {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const separator = decoded.indexOf(':');
  const typeName = decoded.slice(0, separator);
  const localId = decoded.slice(separator + 1);
  if (separator <= 0 || !localId || !/^[A-Z][A-Za-z]*$/.test(typeName) || toGlobalId(typeName, localId) !== globalId) {
    throw DomainError.badInput(`"${globalId}" is not a valid id.`, [{ field: 'id', message: 'not a valid id' }]);
  }
  return { typeName, localId };
}

/** The local id of a global id that must be of the given type. */
export function localIdOf(typeName: string, globalId: string, field = 'id'): string {
  const parsed = fromGlobalId(globalId);
  if (parsed.typeName !== typeName) {
    throw DomainError.badInput(`"${globalId}" is not the id of a ${typeName}.`, [
      { field, message: `must be the id of a ${typeName}` },
    ]);
  }
  return parsed.localId;
}
