// Runs s3rver in its own Node process. s3rver encrypts ListObjectsV2 continuation tokens with DES, which
// OpenSSL 3 only offers through the legacy provider; starting this process with --openssl-legacy-provider
// keeps that flag away from the test runner and everything else.
// argv: <directory> <bucket>[,<bucket>…]. Prints {"port":N} once listening; exits when stdin closes.
const S3rver = require('s3rver');

async function main() {
  const [directory, bucket] = process.argv.slice(2);
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: bucket.split(',').map((name) => ({ name })),
    vhostBuckets: false,
  });
  const { port } = await server.run();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  const stop = () => server.close().finally(() => process.exit(0));
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
