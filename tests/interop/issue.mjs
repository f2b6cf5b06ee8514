#!/usr/bin/env node
// A stand-in issuer, for testing verify.mjs's did:web and status list paths without mlmath:
// signs, with a fresh Ed25519 key, an Open Badges 3.0 credential issued by
// did:web:<origin's host and port> and its Bitstring Status List credentials.
//
//   node issue.mjs http://127.0.0.1:PORT INDEX
//
// Prints {didDocument, credential, statusList, revokedStatusList} as JSON: the test serves the
// DID document at /.well-known/did.json and one of the status lists at /status/1.
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {createCredential, createList} from '@digitalbazaar/vc-bitstring-status-list';
import {CONTEXTS} from './contexts.mjs';

const [origin, index] = process.argv.slice(2);
const host = new URL(origin).host;
const did = `did:web:${host.replace(':', '%3A')}`;
const statusListUrl = `${origin}/status/1`;

const key = await Ed25519Multikey.generate({id: `${did}#key-1`, controller: did});
const suite = new DataIntegrityProof({signer: key.signer(), cryptosuite: eddsaRdfc2022});
const documentLoader = async url => {
  if(!CONTEXTS.has(url)) {
    throw new Error(`issue.mjs loads only packaged contexts, not ${url}`);
  }
  return {contextUrl: null, documentUrl: url, document: CONTEXTS.get(url)};
};
const sign = credential => vc.issue({credential, suite, documentLoader});

const didDocument = {
  '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
  id: did,
  verificationMethod: [await key.export({publicKey: true, includeContext: false})],
  assertionMethod: [key.id],
};

const credential = await sign({
  '@context': [
    'https://www.w3.org/ns/credentials/v2',
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  ],
  id: `${origin}/badges/00000000-0000-4000-8000-000000000001/credential.json`,
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: {id: did, type: ['Profile'], name: 'Stand-in issuer'},
  validFrom: '2026-03-04T05:06:07Z',
  name: 'Practitioner',
  credentialSubject: {
    type: ['AchievementSubject'],
    achievement: {
      id: `${origin}/badges/degrees/00000000-0000-4000-8000-000000000002.json`,
      type: ['Achievement'],
      name: 'Practitioner',
      description: 'Can read and use the mathematics of machine learning.',
      criteria: {narrative: 'Complete the calculus and linear algebra courses.'},
    },
  },
  credentialStatus: {
    id: `${statusListUrl}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(index),
    statusListCredential: statusListUrl,
  },
});

async function statusList(revoked) {
  const list = await createList({length: 131072});
  list.setStatus(Number(index), revoked);
  const unsigned = await createCredential(
    {id: statusListUrl, list, statusPurpose: 'revocation'});
  return sign({...unsigned, issuer: did, validFrom: '2026-03-04T05:06:07Z'});
}

console.log(JSON.stringify({
  didDocument,
  credential,
  statusList: await statusList(false),
  revokedStatusList: await statusList(true),
}));
