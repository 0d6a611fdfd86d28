package org.chorus.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Vert.x instance of a node: a plain one, or with {@code cluster.enabled} one that joins the other
 * nodes through Hazelcast, found by a fixed TCP/IP member list (no multicast). In a cluster the room
 * addresses of the event bus span every node, so a child on node A hears what a facilitator did on node B;
 * everything else the nodes share is in the one PostgreSQL.
 */
public final class ClusterNode {
  private ClusterNode() {}

  public static Future<Vertx> vertx(ChorusConfig config) {
    if (!config.bool("cluster.enabled")) {
      return Future.succeededFuture(Vertx.vertx());
    }
    return Vertx.builder().withClusterManager(new HazelcastClusterManager(hazelcast(config))).buildClustered();
  }

  static Config hazelcast(ChorusConfig config) {
    Config cfg = new Config();
    cfg.setClusterName(config.string("cluster.name"));
    // Members are listed, not discovered: no need to wait long for others before forming or joining.
    cfg.setProperty("hazelcast.wait.seconds.before.join", "1");
    // No phoning home: nodes talk to each other and to nothing else. Logs go where Chorus logs.
    cfg.setProperty("hazelcast.phone.home.enabled", "false");
    cfg.setProperty("hazelcast.logging.type", "slf4j");
    cfg.getNetworkConfig().setPort(config.intValue("cluster.port")).setPortAutoIncrement(false);
    cfg.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(config.string("cluster.host"));
    JoinConfig join = cfg.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (String member : config.strings("cluster.members")) {
      join.getTcpIpConfig().addMember(member);
    }
    return cfg;
  }
}
