import crypto from 'node:crypto';
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  MicrosoftAppCredentials,
  type AuthenticateRequestResult,
  type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';

/**
 * Lets the local Direct Line channel talk to the bot when the bot also has real Bot Framework
 * credentials (production). Requests carrying this process's channel key, for a conversation
 * whose serviceUrl is our own loopback connector, are accepted; replies to that serviceUrl go
 * without an Azure token (the connector routes only accept loopback callers). Everything else
 * is delegated to the configured Bot Framework authentication, unchanged.
 */
export class LocalChannelAuthentication extends BotFrameworkAuthentication {
  readonly channelKey = crypto.randomBytes(32).toString('base64url');

  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly localServiceUrl: () => string,
  ) {
    super();
  }

  get authorizationHeader(): string {
    return `Bearer ${this.channelKey}`;
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    if (authHeader === this.authorizationHeader) {
      if (activity.serviceUrl !== this.localServiceUrl()) throw Object.assign(new Error('Unauthorized'), { statusCode: 401 });
      return {
        audience: AuthenticationConstants.ToChannelFromBotOAuthScope,
        claimsIdentity: new ClaimsIdentity([], AuthenticationConstants.AnonymousAuthType),
        callerId: undefined,
        connectorFactory: this.createConnectorFactory(new ClaimsIdentity([], AuthenticationConstants.AnonymousAuthType)),
      };
    }
    return this.inner.authenticateRequest(activity, authHeader);
  }

  override authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const inner = this.inner.createConnectorFactory(claimsIdentity);
    const local = this.localServiceUrl;
    return new (class extends ConnectorFactory {
      async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        if (serviceUrl === local()) return new ConnectorClient(MicrosoftAppCredentials.Empty, { baseUri: serviceUrl });
        return inner.create(serviceUrl, audience);
      }
    })();
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }
}
