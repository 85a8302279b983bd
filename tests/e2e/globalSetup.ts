// Before any e2e worker starts: the test CA, trusted by the Node processes (the test workers and
// every app and server they start inherit NODE_EXTRA_CA_CERTS) and by Chromium (its HOME).
import { linkTestAddresses } from '../support/netns';
import { TEST_CA_FILE, prepareTestTls } from '../support/testTls';

export default function globalSetup(): void {
  prepareTestTls(linkTestAddresses());
  process.env.NODE_EXTRA_CA_CERTS = TEST_CA_FILE;
}
