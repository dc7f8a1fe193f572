/**
 * `npm run mock`: the simulator in the foreground.
 *
 * Environment (flags in brackets override it):
 *   NOGI_CONTRACT               the provider's contract version served (contracts/versions/index.json;
 *                               default its `default`)                     [--contract V]
 *   NOGI_SIM_HOST               bind address, default 127.0.0.1            [--host H]
 *   NOGI_SIM_ACCESS_PORT        access (OAuth) host port, default 4410     [--port-access N]
 *   NOGI_SIM_API_PORT           API host port, default 4420                [--port-api N]
 *   NOGI_SIM_ADMIN_PORT         admin port (test mode only), default 4430  [--port-admin N]
 *   NOGI_SIM_ADMIN_HOST         admin bind address, default 127.0.0.1 whatever --host is [--admin-host H]
 *   NOGI_SIM_ADMIN_TOKEN        Bearer token every admin route but /healthz requires (16+ chars);
 *                               unset: one is generated and printed on stderr. Required to bind
 *                               admin beyond loopback.
 *   NOGI_SIM_ACCESS_PUBLIC_URL  public base URL of the access host (reverse proxy, port mapping)
 *   NOGI_SIM_API_PUBLIC_URL     public base URL of the API host
 *   NOGI_SIM_TEST_MODE          1/true: admin surface, response validation [--test-mode]
 *   NOGI_SIM_FIXTURES           fixtures directory, default fixtures/simulator [--fixtures DIR]
 *   NOGI_SIM_DEVIATIONS         comma list of deviations (test mode)       [--deviations a,b]
 *   NOGI_SIM_LOG                file to append the request log to (default: stdout)
 *   NOGI_SIM_DATA_DIR           SQLite state directory, default .nogi-sim  [--data-dir DIR]
 *   NOGI_SIM_DATABASE_URL       postgres://… : state in PostgreSQL instead (several instances share it)
 *   NOGI_SIM_STORE              memory: keep nothing across restarts      [--memory]
 *   NOGI_SIM_SWEEP_SECONDS      how often expired state is deleted, default 60 (0 = never)
 *   NOGI_SIM_MAX_PENDING_LOGINS unfinished logins per source at once (a browser with its binding
 *                               cookie, else the remote address), default 1000
 *   NOGI_SIM_MAX_PENDING_LOGINS_TOTAL  unfinished logins of all sources together, default 20000
 *                               (full: the busiest source's oldest gives way to a source holding fewer)
 *   NOGI_SIM_RECORDING_BODY_BYTES  a recorded body past this (JSON bytes) keeps only what grading reads, default 16384
 *   NOGI_SIM_RECORDING_BYTES_PER_CLIENT  each client's grading recording at most, oldest dropped first, default 4194304
 *   NOGI_SIM_OPS                1/true: /healthz and /metrics on the admin port also outside test mode
 *   NOGI_SIM_SHUTDOWN_GRACE_SECONDS  in-flight requests finish within this on SIGTERM, default 10
 *   NOGI_SIM_MAX_CONNECTIONS    open connections per port, default 1000
 *   NOGI_SIM_MAX_TENANTS        run-time clients (admin POST /clients) at most, default 1000
 *   NOGI_SIM_TENANT_IDLE_DAYS   run-time clients unused this many days are deleted by the sweep, default 30
 * Prints the access base URL, API base URL, discovery URL (and admin URL), one per line, on
 * stdout; where the state lives, and a generated admin token, on stderr (never in the request log).
 * Bad values: one error line, exit 2. Stops cleanly on SIGINT/SIGTERM.
 */
import { serve } from './serve.ts';

await serve(process.argv.slice(2), process.env);
