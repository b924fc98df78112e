import proxyaddr from 'proxy-addr';
import { CONFIG_KEYS, isConfigKey, isEmailAddress, parseAgentPatterns, parseSmtpUrl, type ConfigKey, type ConfigLevel, type ConfigValue } from '@davmesh/contracts';

/** A DNS name: dot-separated labels of letters, digits and inner hyphens, 253 characters at most. */
const DOMAIN = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export type Checked = { ok: true; key: ConfigKey; value: ConfigValue } | { ok: false; message: string };

/**
 * Checks a key and a raw value (a string from a properties file, a YAML scalar, or a
 * JSON value from the bus) against the registry, and returns the typed value.
 */
export function checkSetting(key: string, raw: unknown, level: Exclude<ConfigLevel, 'default'>): Checked {
  if (!isConfigKey(key)) return { ok: false, message: `unknown key "${key}"` };
  const definition = CONFIG_KEYS[key];
  if (!(definition.levels as readonly string[]).includes(level)) {
    return { ok: false, message: `${key} may be set only at: ${definition.levels.join(', ')}` };
  }
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    return { ok: false, message: `${key} needs a single value` };
  }
  const text = String(raw).trim();
  switch (definition.type) {
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === 'false') return { ok: true, key, value: lower === 'true' };
      return { ok: false, message: `${key} must be true or false, not "${text}"` };
    }
    case 'enum': {
      const allowed = definition.allowed as readonly string[];
      if (allowed.includes(text)) return { ok: true, key, value: text };
      return { ok: false, message: `${key} must be one of ${allowed.join(', ')}, not "${text}"` };
    }
    case 'regex':
      try {
        new RegExp(text, 'i');
        return { ok: true, key, value: text };
      } catch (error) {
        return { ok: false, message: `${key} is not a valid regular expression: ${(error as Error).message}` };
      }
    case 'folder-list': {
      const ids = text.split(',').map((id) => id.trim()).filter(Boolean);
      if (ids.every((id) => /^[1-9][0-9]{0,9}$/.test(id))) return { ok: true, key, value: ids.join(',') };
      return { ok: false, message: `${key} must be comma-separated folder ids, not "${text}"` };
    }
    case 'address-list': {
      const addresses = text.split(',').map((a) => a.trim()).filter(Boolean);
      try {
        proxyaddr.compile(addresses);
        return { ok: true, key, value: addresses.join(',') };
      } catch (error) {
        return { ok: false, message: `${key} must be comma-separated addresses or CIDR ranges: ${(error as Error).message}` };
      }
    }
    case 'agent-patterns':
      try {
        parseAgentPatterns(text);
        return { ok: true, key, value: text };
      } catch (error) {
        return { ok: false, message: `${key}: ${(error as Error).message}` };
      }
    case 'smtp-url':
      try {
        parseSmtpUrl(text);
        return { ok: true, key, value: text };
      } catch (error) {
        return { ok: false, message: `${key}: ${(error as Error).message}` };
      }
    case 'email-address':
      if (text === '' || isEmailAddress(text)) return { ok: true, key, value: text };
      return { ok: false, message: `${key} must be an e-mail address such as calendar@example.org, not "${text}"` };
    case 'path':
      if (/^\/[^\s?#]*$/.test(text)) return { ok: true, key, value: text.length > 1 ? text.replace(/\/+$/, '') : text };
      return { ok: false, message: `${key} must be an absolute path such as /dav, not "${text}"` };
    case 'string':
      return { ok: true, key, value: text };
    case 'domain':
      if (text === '' || DOMAIN.test(text)) return { ok: true, key, value: text.toLowerCase() };
      return { ok: false, message: `${key} must be a domain name such as example.org, not "${text}"` };
    case 'integer': {
      const number = /^-?[0-9]{1,15}$/.test(text) ? Number(text) : NaN;
      const min = 'min' in definition ? definition.min : Number.MIN_SAFE_INTEGER;
      const max = 'max' in definition ? definition.max : Number.MAX_SAFE_INTEGER;
      if (Number.isSafeInteger(number) && number >= min && number <= max) return { ok: true, key, value: number };
      return { ok: false, message: `${key} must be a whole number from ${min} to ${max}, not "${text}"` };
    }
  }
}
