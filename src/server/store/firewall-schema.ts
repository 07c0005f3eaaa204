/** FirewallRulesRow marks a machine's current allocation as a firewall and holds its rules. */
export interface FirewallRulesRow {
  machine_id: string;
  /** Allocation the rules belong to; rows of an earlier allocation are ignored. */
  allocation_id: string;
  project: string;
  /** JSON of metalstack.api.v2.FirewallRules ({egress, ingress}). */
  rules: string;
  generation: number;
  updated_at: string;
}

/** FirewallTables are the firewall tables as Kysely sees them. */
export interface FirewallTables {
  firewall_rules: FirewallRulesRow;
}
