/** UserRow is a person (or robot) known to the API, created at first login. */
export interface UserRow {
  /** Stable user key: the identity provider's subject, optionally prefixed by its connector. */
  id: string;
  name: string;
  email: string;
  /** AdminRole enum value; 0 for none. */
  admin_role: number;
  /** 1 when the user may manage every tenant and its members (solution admin), else 0. */
  tenant_admin: number;
  created_at: string;
  updated_at: string;
}

/** TenantRow is an organisation or a user's personal tenant. */
export interface TenantRow {
  id: string;
  name: string;
  description: string;
  email: string;
  /** 1 for the personal tenant created with a user. */
  personal: number;
  created_by: string;
  generation: number;
  labels: string;
  created_at: string;
  updated_at: string;
}

/** ProjectRow is a project inside a tenant; project-scoped resources belong to one. */
export interface ProjectRow {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  generation: number;
  labels: string;
  created_at: string;
  updated_at: string;
}

/** TenantMemberRow grants a user a TenantRole (enum value) in a tenant. */
export interface TenantMemberRow {
  tenant_id: string;
  user_id: string;
  role: number;
  created_at: string;
}

/** ProjectMemberRow grants a user a ProjectRole (enum value) in a project. */
export interface ProjectMemberRow {
  project_id: string;
  user_id: string;
  role: number;
  created_at: string;
}

/** TenancyTables are the tables of users, tenants, projects, their members and invites. */
export interface TenancyTables {
  users: UserRow;
  tenants: TenantRow;
  projects: ProjectRow;
  tenant_members: TenantMemberRow;
  project_members: ProjectMemberRow;
  tenant_invites: TenantInviteRow;
  project_invites: ProjectInviteRow;
}

/** TenantInviteRow is a single-use invitation into a tenant; only the secret's SHA-256 is stored. */
export interface TenantInviteRow {
  id: string;
  tenant_id: string;
  /** TenantRole enum value granted on acceptance. */
  role: number;
  /** Hex SHA-256 of the invite secret. */
  secret_hash: string;
  expires_at: string;
  created_by: string;
  created_at: string;
  accepted_by: string | null;
  accepted_at: string | null;
}

/** ProjectInviteRow is a single-use invitation into a project; only the secret's SHA-256 is stored. */
export interface ProjectInviteRow {
  id: string;
  project_id: string;
  /** ProjectRole enum value granted on acceptance. */
  role: number;
  /** Hex SHA-256 of the invite secret. */
  secret_hash: string;
  expires_at: string;
  created_by: string;
  created_at: string;
  accepted_by: string | null;
  accepted_at: string | null;
}
