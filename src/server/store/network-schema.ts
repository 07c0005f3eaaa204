/** NetworkRow is a base network (project "") or a project's child network. */
export interface NetworkRow {
  id: string;
  project: string;
  partition: string;
  /** Super network a child was carved from; null for base networks. */
  parent_network_id: string | null;
  name: string;
  description: string;
  /** metalstack.api.v2.NetworkType enum value. */
  type: number;
  /** JSON array of canonical CIDR strings. */
  prefixes: string;
  /** JSON array of canonical CIDR strings. */
  destination_prefixes: string;
  /** Default child prefix lengths of a super network; null when the family is not offered. */
  child_length_v4: number | null;
  child_length_v6: number | null;
  vrf: number;
  nat: number;
  labels: string;
  generation: number;
  created_at: string;
  updated_at: string;
}

/**
 * NetworkPrefixRow is one prefix of one network, in canonical CIDR form. The prefix is unique
 * across all networks; children record their super network so sibling prefixes are found by index.
 */
export interface NetworkPrefixRow {
  prefix: string;
  network_id: string;
  parent_network_id: string | null;
  /** 4 or 6. */
  family: number;
}

/** IpRow is an address allocated to a project; (network_id, address) is unique. */
export interface IpRow {
  id: string;
  project: string;
  network_id: string;
  /** Canonical text (IPv6 compressed, lower case). */
  address: string;
  /** The address as text in list order: family, then numeric (see addressKey); unique per network. */
  address_key: string;
  /** 4 or 6. */
  family: number;
  name: string;
  description: string;
  /** metalstack.api.v2.IPType enum value. */
  type: number;
  machine_id: string | null;
  labels: string;
  generation: number;
  created_at: string;
  updated_at: string;
}

/** NetworkTables are networks, their prefixes and the IPs allocated from them. */
export interface NetworkTables {
  networks: NetworkRow;
  network_prefixes: NetworkPrefixRow;
  ips: IpRow;
}
