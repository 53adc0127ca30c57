import { editDistance } from '../did-you-mean.js';

/**
 * Checks on a Python package a program asks for, before anything is installed. A request is one
 * exact pin, `name==version` (PEP 508 name, PEP 440 release): no ranges, extras, markers or URLs,
 * so what runs is what was approved. Known-malicious names are refused, and so is a name within
 * two edits of a popular package it is not (the usual typosquat).
 */

/** PEP 508 project names. */
const NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;
/** PEP 440 public versions (release, pre, post, dev), without local labels. */
const VERSION = /^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$/;

/** Names published on PyPI as malware or typosquats and removed, as reported publicly. */
const BLOCKED = new Set([
  'jeilyfish', 'python3-dateutil', 'colourama', 'acqusition', 'apidev-coop', 'bzip', 'crypt', 'django-server', 'pwd', 'setup-tools',
  'telnet', 'urlib3', 'urllib', 'noblesse', 'noblesse2', 'noblessev2', 'pytagora', 'pytagora2', 'libpeshnx', 'libpesh', 'libari',
  'discordpy-smart', 'ctx', 'requesys', 'requestts', 'colorslib', 'httpslib', 'libhttps', 'importantpackage', 'important-package',
]);

/** Popular packages a typosquat imitates (PyPI's most downloaded; enough to catch the common cases). */
const POPULAR = [
  'requests', 'numpy', 'pandas', 'urllib3', 'setuptools', 'six', 'python-dateutil', 'boto3', 'botocore', 'certifi', 'idna', 'charset-normalizer',
  'typing-extensions', 'packaging', 'pyyaml', 'cryptography', 'pip', 'wheel', 'attrs', 'jinja2', 'markupsafe', 'click', 'pydantic', 'pytz',
  'protobuf', 'jmespath', 'pyasn1', 'rsa', 'colorama', 'filelock', 'platformdirs', 'pillow', 'scipy', 'matplotlib', 'sqlalchemy', 'flask',
  'django', 'psutil', 'pytest', 'tqdm', 'beautifulsoup4', 'lxml', 'aiohttp', 'grpcio', 'openpyxl', 'scikit-learn', 'jsonschema', 'werkzeug',
  'decorator', 'wrapt', 'httpx', 'fastapi', 'uvicorn', 'tomli', 'docutils', 'pygments', 'greenlet', 'cffi', 'pycparser', 'multidict', 'yarl',
  'frozenlist', 'aiosignal', 'async-timeout', 'google-api-core', 'googleapis-common-protos', 'tensorflow', 'torch', 'keras', 'networkx',
  'sympy', 'seaborn', 'plotly', 'openai', 'anthropic', 'selenium', 'paramiko', 'pymysql', 'psycopg2', 'redis', 'celery', 'kombu', 'dateparser',
  'jellyfish', 'simplejson', 'ujson', 'orjson', 'regex', 'chardet', 'termcolor', 'tabulate', 'docker', 'kubernetes', 'pyjwt', 'oauthlib',
];

/** PEP 503 normalized name: lower case, runs of "-", "_" and "." as one "-". */
export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export interface PackagePin {
  name: string;
  version: string;
}

/** The pin a request names, or the reason it is refused (a sentence that names the request). */
export function checkPackageRequest(request: string): { pin: PackagePin } | { problem: string } {
  const text = request.trim();
  const match = /^([^=<>!~\s[\];@]+)==([^\s;]+)$/.exec(text);
  if (!match) return { problem: `"${request}": write one exact pin, name==version (no ranges, extras, markers or URLs)` };
  const [, rawName, version] = match as unknown as [string, string, string];
  if (!NAME.test(rawName)) return { problem: `"${request}": "${rawName}" is not a valid package name (PEP 508)` };
  if (!VERSION.test(version)) return { problem: `"${request}": "${version}" is not a plain release version (PEP 440, e.g. 2.31.0)` };
  const name = normalizePackageName(rawName);
  if (BLOCKED.has(name)) return { problem: `"${request}": "${name}" is a known malicious package name` };
  const imitated = POPULAR.find((popular) => popular !== name && editDistance(popular, name) <= (popular.length <= 4 ? 1 : 2));
  if (imitated && !POPULAR.includes(name)) return { problem: `"${request}": "${name}" is within two edits of the popular package "${imitated}" (a likely typosquat); approve the real name` };
  return { pin: { name, version } };
}
