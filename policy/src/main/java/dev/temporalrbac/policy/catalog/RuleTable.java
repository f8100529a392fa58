package dev.temporalrbac.policy.catalog;

import static dev.temporalrbac.policy.catalog.TemporalService.CLOUD;
import static dev.temporalrbac.policy.catalog.TemporalService.HEALTH;
import static dev.temporalrbac.policy.catalog.TemporalService.OPERATOR;
import static dev.temporalrbac.policy.catalog.TemporalService.POLICY_ADMIN;
import static dev.temporalrbac.policy.catalog.TemporalService.WORKFLOW;
import static dev.temporalrbac.policy.model.AccountRole.ACCOUNT_OWNER;
import static dev.temporalrbac.policy.model.AccountRole.DEVELOPER;
import static dev.temporalrbac.policy.model.AccountRole.FINANCE_ADMIN;
import static dev.temporalrbac.policy.model.AccountRole.GLOBAL_ADMIN;
import static dev.temporalrbac.policy.model.NamespacePermission.ADMIN;
import static dev.temporalrbac.policy.model.NamespacePermission.READ;
import static dev.temporalrbac.policy.model.NamespacePermission.WRITE;

import dev.temporalrbac.policy.model.AccountRole;
import dev.temporalrbac.policy.model.NamespacePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The permission rules, as Temporal documents them: the three seed tables of
 * {@code permissions-reference} read right-aligned, then PERMISSIONS.md §3 for the methods the
 * seeds do not list, then the proxy's own PolicyAdmin service. Which methods exist is not decided here: {@link MethodCatalog} pairs these
 * rules with the pinned descriptors and reports any method without a rule and any rule without a
 * method. Package-private: callers read rules through {@link MethodCatalog}.
 */
final class RuleTable {
  public static final String SEED_ACCOUNT = "seed: account-level table";
  public static final String SEED_NAMESPACE = "seed: namespace-level table";
  public static final String SEED_WORKFLOW = "seed: workflow-level table";
  public static final String SECTION_3 = "PERMISSIONS.md §3";
  public static final String SERVER_LEVEL = "PERMISSIONS.md §3 (server access level)";
  /**
   * The proxy's own admin API: it reads the whole policy and tells whose an API key is, so it is
   * an account administrator's tool.
   */
  public static final String PROXY_ADMIN = "the proxy's own API (account administrators)";

  private static final Set<AccountRole> EVERY_ROLE = EnumSet.allOf(AccountRole.class);
  private static final Set<AccountRole> ADMINS = EnumSet.of(GLOBAL_ADMIN, ACCOUNT_OWNER);
  private static final Set<AccountRole> CREATORS = EnumSet.of(DEVELOPER, GLOBAL_ADMIN, ACCOUNT_OWNER);
  private static final Set<AccountRole> USAGE = EnumSet.of(FINANCE_ADMIN, GLOBAL_ADMIN, ACCOUNT_OWNER);
  private static final Set<AccountRole> BILLING = EnumSet.of(FINANCE_ADMIN, ACCOUNT_OWNER);

  private final List<MethodRule> rules = new ArrayList<>();

  private RuleTable() {}

  /** Every rule, in table order. */
  public static List<MethodRule> rules() {
    RuleTable table = new RuleTable();
    table.accountLevelSeed();
    table.namespaceLevelSeed();
    table.workflowLevelSeed();
    table.sectionThree();
    table.accountFrom(POLICY_ADMIN, ADMINS, PROXY_ADMIN, "Explain", "GetPolicyStatus");
    return Collections.unmodifiableList(table.rules);
  }

  private void accountLevelSeed() {
    account(ADMINS, "AddUserGroupMember", "CreateAccountAuditLogSink", "CreateConnectivityRule",
        "CreateUser", "CreateUserGroup", "DeleteAccountAuditLogSink", "DeleteConnectivityRule",
        "DeleteUser", "DeleteUserGroup", "GetAccountAuditLogSink", "GetAccountAuditLogSinks",
        "GetAuditLogs", "RemoveUserGroupMember", "UpdateAccount", "UpdateAccountAuditLogSink",
        "UpdateNamespaceTags", "UpdateUser", "UpdateUserGroup", "ValidateAccountAuditLogSink");
    account(CREATORS, "CreateNexusEndpoint", "DeleteNexusEndpoint", "GetConnectivityRule",
        "GetConnectivityRules", "UpdateNexusEndpoint");
    accountWith(CREATORS, Behaviour.TAGS_NEED_ADMIN, "CreateNamespace");
    account(USAGE, "GetUsage");
    account(EVERY_ROLE, "GetAccount", "GetAsyncOperation", "GetCurrentIdentity", "GetNamespaces",
        "GetNexusEndpoint", "GetNexusEndpoints", "GetRegion", "GetRegions", "GetUser",
        "GetUserGroup", "GetUserGroupMembers", "GetUserGroups", "GetUsers");
    accountWith(EVERY_ROLE, Behaviour.API_KEY_OWNERSHIP,
        "CreateApiKey", "DeleteApiKey", "GetApiKey", "GetApiKeys", "UpdateApiKey");
    accountWith(EVERY_ROLE, Behaviour.SERVICE_ACCOUNT_SCOPE, "CreateServiceAccount",
        "DeleteServiceAccount", "UpdateServiceAccount");
    // §4: every role may read and list service accounts; only changes are scoped
    for (String read : List.of("GetServiceAccount", "GetServiceAccounts")) {
      rules.add(new MethodRule(CLOUD, read, Scope.ACCOUNT, EVERY_ROLE, null,
          Behaviour.SERVICE_ACCOUNT_SCOPE, true, SEED_ACCOUNT));
    }
  }

  private void namespaceLevelSeed() {
    namespace(CLOUD, ADMIN, SEED_NAMESPACE, "AddNamespaceRegion", "CreateNamespaceExportSink",
        "DeleteNamespace", "DeleteNamespaceExportSink", "DeleteNamespaceRegion",
        "FailoverNamespaceRegion", "RenameCustomSearchAttribute",
        "SetServiceAccountNamespaceAccess", "SetUserGroupNamespaceAccess", "SetUserNamespaceAccess",
        "UpdateNamespace", "UpdateNamespaceExportSink", "ValidateNamespaceExportSink");
    namespace(CLOUD, READ, SEED_NAMESPACE, "GetNamespace", "GetNamespaceCapacityInfo",
        "GetNamespaceExportSink", "GetNamespaceExportSinks");
  }

  private void workflowLevelSeed() {
    namespace(WORKFLOW, READ, SEED_WORKFLOW, "CountActivityExecutions", "CountSchedules",
        "CountWorkflowExecutions", "DescribeActivityExecution", "DescribeBatchOperation",
        "DescribeNamespace", "DescribeSchedule", "DescribeTaskQueue", "DescribeWorker",
        "DescribeWorkerDeployment", "DescribeWorkerDeploymentVersion", "DescribeWorkflowExecution",
        "DescribeWorkflowRule", "FetchWorkerConfig", "GetSearchAttributes",
        "GetWorkerBuildIdCompatibility", "GetWorkerTaskReachability", "GetWorkerVersioningRules",
        "GetWorkflowExecutionHistory", "GetWorkflowExecutionHistoryReverse",
        "ListActivityExecutions", "ListBatchOperations", "ListClosedWorkflowExecutions",
        "ListOpenWorkflowExecutions", "ListScheduleMatchingTimes", "ListSchedules",
        "ListTaskQueuePartitions", "ListWorkerDeployments", "ListWorkers",
        "ListWorkflowExecutions", "ListWorkflowRules", "QueryWorkflow");
    namespace(WORKFLOW, WRITE, SEED_WORKFLOW, "CreateSchedule", "CreateWorkflowRule",
        "DeleteActivityExecution", "DeleteSchedule", "DeleteWorkerDeployment",
        "DeleteWorkerDeploymentVersion", "DeleteWorkflowExecution", "DeleteWorkflowRule",
        "ExecuteMultiOperation", "PatchSchedule", "PauseActivity", "PauseWorkflowExecution",
        "PollActivityExecution", "PollActivityTaskQueue", "PollNexusTaskQueue",
        "PollWorkflowExecutionUpdate", "PollWorkflowTaskQueue", "RecordActivityTaskHeartbeat",
        "RecordActivityTaskHeartbeatById", "RecordWorkerHeartbeat",
        "RequestCancelActivityExecution", "RequestCancelWorkflowExecution", "ResetActivity",
        "ResetStickyTaskQueue", "ResetWorkflowExecution", "RespondActivityTaskCanceled",
        "RespondActivityTaskCanceledById", "RespondActivityTaskCompleted",
        "RespondActivityTaskCompletedById", "RespondActivityTaskFailed",
        "RespondActivityTaskFailedById", "RespondNexusTaskCompleted", "RespondNexusTaskFailed",
        "RespondQueryTaskCompleted", "RespondWorkflowTaskCompleted", "RespondWorkflowTaskFailed",
        "SetWorkerDeploymentCurrentVersion", "SetWorkerDeploymentManager",
        "SetWorkerDeploymentRampingVersion", "ShutdownWorker", "SignalWithStartWorkflowExecution",
        "SignalWorkflowExecution", "StartActivityExecution", "StartBatchOperation",
        "StartWorkflowExecution", "StopBatchOperation", "TerminateActivityExecution",
        "TerminateWorkflowExecution", "TriggerWorkflowRule", "UnpauseActivity",
        "UnpauseWorkflowExecution", "UpdateActivityOptions", "UpdateSchedule",
        "UpdateTaskQueueConfig", "UpdateWorkerBuildIdCompatibility", "UpdateWorkerConfig",
        "UpdateWorkerDeploymentVersionMetadata", "UpdateWorkerVersioningRules",
        "UpdateWorkflowExecution", "UpdateWorkflowExecutionOptions");
  }

  private void sectionThree() {
    add(HEALTH, "Check", Scope.PUBLIC, Set.of(), null, Behaviour.NONE, SECTION_3);
    add(WORKFLOW, "GetSystemInfo", Scope.PUBLIC, Set.of(), null, Behaviour.NONE, SECTION_3);
    add(WORKFLOW, "GetClusterInfo", Scope.AUTHENTICATED, Set.of(), null, Behaviour.NONE, SECTION_3);
    add(WORKFLOW, "ListNamespaces", Scope.AUTHENTICATED, Set.of(), null,
        Behaviour.FILTER_NAMESPACE_LIST, SECTION_3);
    accountIn(WORKFLOW, CREATORS, "RegisterNamespace");
    namespace(WORKFLOW, ADMIN, SECTION_3, "UpdateNamespace", "DeprecateNamespace");
    namespace(OPERATOR, ADMIN, SECTION_3,
        "DeleteNamespace", "AddSearchAttributes", "RemoveSearchAttributes");
    namespace(OPERATOR, READ, SECTION_3, "ListSearchAttributes");
    accountIn(OPERATOR, CREATORS, "CreateNexusEndpoint", "UpdateNexusEndpoint", "DeleteNexusEndpoint");
    accountIn(OPERATOR, EVERY_ROLE, "GetNexusEndpoint", "ListNexusEndpoints");
    accountIn(OPERATOR, ADMINS, "AddOrUpdateRemoteCluster", "RemoveRemoteCluster", "ListClusters");
    accountIn(CLOUD, BILLING, "CreateBillingReport", "GetBillingReport");
    accountIn(CLOUD, EVERY_ROLE, "GetCustomRoles", "GetCustomRole");
    accountIn(CLOUD, ADMINS, "CreateCustomRole", "UpdateCustomRole", "DeleteCustomRole");
    namespace(WORKFLOW, READ, SERVER_LEVEL, "CountNexusOperationExecutions", "CountWorkers",
        "DescribeDeployment", "DescribeNexusOperationExecution", "GetCurrentDeployment",
        "GetDeploymentReachability", "ListArchivedWorkflowExecutions", "ListDeployments",
        "ListNexusOperationExecutions", "PollNexusOperationExecution",
        "PollWorkflowExecutionTimeSkipping", "ScanWorkflowExecutions",
        "ValidateWorkerDeploymentVersionComputeConfig");
    namespace(WORKFLOW, WRITE, SERVER_LEVEL, "CreateWorkerDeployment",
        "CreateWorkerDeploymentVersion", "DeleteNexusOperationExecution", "PauseActivityExecution",
        "RequestCancelNexusOperationExecution", "ResetActivityExecution", "SetCurrentDeployment",
        "StartNexusOperationExecution", "TerminateNexusOperationExecution",
        "UnpauseActivityExecution", "UpdateActivityExecutionOptions",
        "UpdateWorkerDeploymentVersionComputeConfig");
  }

  private void account(Set<AccountRole> roles, String... methods) {
    accountWith(roles, Behaviour.NONE, methods);
  }

  private void accountWith(Set<AccountRole> roles, Behaviour behaviour, String... methods) {
    for (String method : methods) {
      add(CLOUD, method, Scope.ACCOUNT, roles, null, behaviour, SEED_ACCOUNT);
    }
  }

  private void accountIn(TemporalService service, Set<AccountRole> roles, String... methods) {
    accountFrom(service, roles, SECTION_3, methods);
  }

  private void accountFrom(TemporalService service, Set<AccountRole> roles, String source,
      String... methods) {
    for (String method : methods) {
      add(service, method, Scope.ACCOUNT, roles, null, Behaviour.NONE, source);
    }
  }

  private void namespace(
      TemporalService service, NamespacePermission permission, String source, String... methods) {
    for (String method : methods) {
      add(service, method, Scope.NAMESPACE, Set.of(), permission, Behaviour.NONE, source);
    }
  }

  private void add(TemporalService service, String method, Scope scope, Set<AccountRole> roles,
      NamespacePermission permission, Behaviour behaviour, String source) {
    rules.add(new MethodRule(service, method, scope, roles, permission, behaviour, source));
  }
}
