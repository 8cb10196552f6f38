#pragma once
// careforce serve: the JSON API of docs/api.md and the built dashboard, over the same
// libraries as the CLI. The model is loaded once at start and shared read-only by the
// handler threads; metrics and projection are pure functions of it.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/result.hpp"

namespace careforce::server {

struct ServerOptions {
  std::string db;                    ///< SQLite database file (must exist).
  std::string host = "127.0.0.1";    ///< Loopback by default.
  int port = 8080;                   ///< 0 = an ephemeral port (tests).
  std::filesystem::path static_dir;  ///< Built front end; empty = web/dist of the source tree.
  size_t max_body_bytes = 1 << 20;   ///< Larger request bodies get 413.
  int threads = 64;                  ///< Handler threads (one per open connection).
  int compute_slots = 4;             ///< Metric engines computing at once (memory bound).
  std::string ics_name = "Integrated Care System";
  bool disclosure_control = true;  ///< Suppress and round small counts (METRICS.md).
  int default_runs = 1000;         ///< Replicates of the baseline and default scenario runs.
  uint64_t default_seed = 20250331;
  int projection_threads = 2;    ///< Threads one projection run may use.
  std::string benchmark_ics;     ///< ICS code compared with national benchmarks (--ics).
  std::string benchmark_region;  ///< NHS region code compared (--region; default the ICS's).
  /// Check ranges; the message names the option.
  Status validate() const;
};

/// The HTTP server. create() opens the store and loads the model; listen() blocks.
class Server {
 public:
  static Result<std::unique_ptr<Server>> create(const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Bind to the configured host and port (0 = any free port) and return the port.
  Result<int> bind();
  /// Serve until stop() (after bind()).
  Status listen();
  /// Stop listening; safe from another thread.
  void stop();
  /// Block until the server accepts connections (after listen() started on another thread).
  void wait_until_ready() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace careforce::server
