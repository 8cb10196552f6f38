// careforce serve --db <file> [--host 127.0.0.1] [--port 8080] [--static DIR]: the JSON API
// of docs/api.md and the dashboard, over the same libraries as the other commands.
#include <fmt/core.h>

#include "commands.hpp"
#include "server/server.hpp"

namespace careforce::cli {
namespace {

int run_serve(const server::ServerOptions& options) {
  if (auto ok = options.validate(); !ok) return report_error(ok.error());
  fmt::print("Loading {} ...\n", options.db);
  std::fflush(stdout);
  auto created = server::Server::create(options);
  if (!created) return report_error(created.error());
  auto port = (*created)->bind();
  if (!port) return report_error(port.error());
  fmt::print("careforce dashboard: http://{}:{}/  (API under /api/; Ctrl-C stops)\n", options.host,
             *port);
  std::fflush(stdout);
  if (auto ok = (*created)->listen(); !ok) return report_error(ok.error());
  return kExitOk;
}

}  // namespace

void register_serve(CLI::App& app) {
  auto o = std::make_shared<server::ServerOptions>();
  auto* sub = app.add_subcommand("serve", "Serve the JSON API and the dashboard");
  sub->add_option("--db", o->db, "SQLite database file")->required()->check(CLI::ExistingFile);
  sub->add_option("--host", o->host, "Address to listen on (default 127.0.0.1, loopback)");
  sub->add_option("--port", o->port, "Port (default 8080; 0 = any free port)");
  sub->add_option("--static", o->static_dir, "Built dashboard folder (default web/dist)");
  sub->add_option("--threads", o->threads, "Handler threads, one per open connection (default 64)");
  sub->add_option("--compute-slots", o->compute_slots,
                  "Metric engines computing at once; each keeps its caches (default 4)");
  sub->add_option("--ics-name", o->ics_name, "Name of the ICS shown by the dashboard");
  sub->add_option("--ics", o->benchmark_ics,
                  "ICS code in the national benchmarks (e.g. QKK): compare it, and take partners' "
                  "codes as ODS codes for the cross-check");
  sub->add_option("--region", o->benchmark_region,
                  "NHS region code to compare with (e.g. Y61; default: the --ics ICS's region)");
  sub->add_option("--max-body", o->max_body_bytes, "Largest request body in bytes (default 1 MiB)");
  sub->add_flag("!--no-disclosure-control", o->disclosure_control,
                "Do not suppress or round small counts (analysts only)");
  on_run(sub, [o] { return run_serve(*o); });
}

}  // namespace careforce::cli
