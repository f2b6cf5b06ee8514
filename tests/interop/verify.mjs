#!/usr/bin/env node
// An independent verifier of Data Integrity credentials (eddsa-rdfc-2022), built only from
// Digital Bazaar's libraries, for CI to check what mlmath issues. See docs/credentials.md.
//
//   node verify.mjs [--server http://127.0.0.1:PORT] [--any-issuer] [credential.json | -]
//   node verify.mjs --versions
//
// Prints one JSON line {verified, revoked, errors, verifier} and exits with
//   0  verified and not revoked (or no credentialStatus: revoked is then null)
//   1  rejected (bad proof, unknown key, unresolvable issuer, unreadable status list...)
//   2  verified but revoked (its BitstringStatusListEntry's bit is set)
//   3  usage error (bad arguments, unreadable file, not JSON)
//
// --any-issuer checks the proof without requiring the credential's issuer to be the signing
// key's controller (W3C's test vector names an https issuer and signs with a did:key); never
// use it on mlmath's credentials, whose issuer must be the did:web that signed them.
//
// Nothing is fetched from the internet: contexts come from npm packages (and contexts/),
// did:key is resolved locally, and did:web and the status list credential are fetched only
// from a loopback address (127.0.0.1, localhost, [::1]): from --server's origin when given.

import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import {CONTEXTS} from './contexts.mjs';

const PACKAGES = [
  '@digitalbazaar/vc',
  '@digitalbazaar/data-integrity',
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite',
  '@digitalbazaar/ed25519-multikey',
  '@digitalbazaar/did-method-key',
  '@digitalbazaar/vc-bitstring-status-list',
  'jsonld',
  'jsonld-signatures',
  'rdf-canonize',
];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MULTIKEY_CONTEXT = multikeyContext.CONTEXT_URL;

class UsageError extends Error {}

function readJson(path) {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
}

function versions() {
  return Object.fromEntries(PACKAGES.map(
    name => [name, readJson(`./node_modules/${name}/package.json`).version]));
}

const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

function parseArgs(argv) {
  const options = {server: null, input: '-', versionsOnly: false, anyIssuer: false};
  const rest = [];
  for(let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if(arg === '--server') {
      options.server = loopbackUrl(argv[++i] ?? '', '--server');
    } else if(arg === '--any-issuer') {
      options.anyIssuer = true;
    } else if(arg === '--versions') {
      options.versionsOnly = true;
    } else if(arg.startsWith('--')) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      rest.push(arg);
    }
  }
  if(rest.length > 1) {
    throw new UsageError('give one credential file (or - for stdin)');
  }
  options.input = rest[0] ?? '-';
  return options;
}

function loopbackUrl(text, what) {
  let url;
  try {
    url = new URL(text);
  } catch{
    throw new UsageError(`${what}: not a URL: ${JSON.stringify(text)}`);
  }
  if(!['http:', 'https:'].includes(url.protocol) || !LOOPBACK.has(url.hostname)) {
    throw new UsageError(`${what}: only a loopback http(s) URL is allowed, not ${text}`);
  }
  return url;
}

// did:web:127.0.0.1%3A8000 -> <scheme>//127.0.0.1:8000/.well-known/did.json (did:web's rule;
// http unless --server says https, since a test server on loopback has no certificate).
function didWebUrl(did, server) {
  const [host, ...path] = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  const scheme = server ? server.protocol : 'http:';
  const where = path.length ? path.join('/') + '/did.json' : '.well-known/did.json';
  return `${scheme}//${host}/${where}`;
}

async function fetchLoopback(text, server) {
  const url = new URL(text);
  if(!LOOPBACK.has(url.hostname) || (server && url.origin !== server.origin)) {
    throw new Error(`refusing to fetch ${text}: only ${server ? server.origin : 'loopback'}`);
  }
  const response = await fetch(url, {redirect: 'error', signal: AbortSignal.timeout(15000)});
  if(!response.ok) {
    throw new Error(`${text} answered ${response.status}`);
  }
  return response.json();
}

async function resolveDidWeb(url, server) {
  const [did, fragment] = url.split('#');
  const document = await fetchLoopback(didWebUrl(did, server), server);
  if(document.id !== did) {
    throw new Error(`the DID document at ${didWebUrl(did, server)} is ${document.id}, not ${did}`);
  }
  if(!fragment) {
    return document;
  }
  const method = (document.verificationMethod ?? []).find(
    ({id}) => id === url || id === `#${fragment}`);
  if(!method) {
    throw new Error(`${did} has no verification method #${fragment}`);
  }
  return {'@context': MULTIKEY_CONTEXT, ...method, id: url};
}

function documentLoaderFor({server, statusLists}) {
  return async url => {
    let document;
    if(CONTEXTS.has(url)) {
      document = CONTEXTS.get(url);
    } else if(url.startsWith('did:key:')) {
      document = await didKey.get({url});
    } else if(url.startsWith('did:web:')) {
      document = await resolveDidWeb(url, server);
    } else if(statusLists.has(url)) {
      document = await fetchLoopback(url, server);
    } else {
      throw new Error(`refusing to load ${url}: not a packaged context, a did:key, ` +
        'a loopback did:web or this credential\'s status list');
    }
    return {contextUrl: null, documentUrl: url, document};
  };
}

function messages(error) {
  if(!error) {
    return [];
  }
  // jsonld keeps what the document loader threw in details.cause: that is the useful reason.
  const nested = [].concat(error.errors ?? [], error.cause ?? [], error.details?.cause ?? []);
  const own = error.message ? [error.message] : [];
  return [...own, ...nested.flatMap(messages)];
}

async function verify(credential, {server, anyIssuer}) {
  const statuses = [].concat(credential.credentialStatus ?? []);
  const statusLists = new Set(statuses.map(status => status.statusListCredential));
  const documentLoader = documentLoaderFor({server, statusLists});
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  // vc's default purpose also requires the issuer to control the key; AssertionProofPurpose
  // only requires the key to be one of its controller's assertion methods.
  const purpose = anyIssuer ? new jsigs.purposes.AssertionProofPurpose() : undefined;
  const result = await vc.verifyCredential(
    {credential, suite, purpose, documentLoader, checkStatus});
  const errors = [
    ...messages(result.error),
    ...(result.results ?? []).flatMap(({error}) => messages(error)),
    ...messages(result.statusResult?.error),
  ];
  let revoked = null;
  if(result.verified && result.statusResult) {
    revoked = result.statusResult.results.some(({credentialStatus, status}) =>
      credentialStatus.statusPurpose === 'revocation' && status === true);
  }
  return {verified: result.verified, revoked, errors: [...new Set(errors)]};
}

async function main() {
  let options;
  let credential;
  try {
    options = parseArgs(process.argv.slice(2));
    if(options.versionsOnly) {
      console.log(JSON.stringify(versions()));
      return 0;
    }
    const path = options.input === '-' ? 0 : options.input;
    credential = JSON.parse(readFileSync(path, 'utf8'));
  } catch(error) {
    console.log(JSON.stringify({verified: false, revoked: null, errors: [error.message]}));
    console.error('usage: node verify.mjs [--server http://127.0.0.1:PORT] [--any-issuer] ' +
      '[file | -]');
    return 3;
  }
  let verdict;
  try {
    verdict = await verify(credential, options);
  } catch(error) {
    verdict = {verified: false, revoked: null, errors: [error.message]};
  }
  const report = {...verdict, verifier: versions()};
  console.log(JSON.stringify(report));
  if(!report.verified) {
    return 1;
  }
  return report.revoked ? 2 : 0;
}

process.exitCode = await main();
