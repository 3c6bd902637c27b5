import crypto from 'node:crypto';
import {
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  JwtTokenValidation,
  UserTokenClient,
  type AuthenticateRequestResult,
} from 'botframework-connector';
import { StatusCodes, type Activity } from 'botbuilder';
import { LOCAL_CHANNEL_CLAIM } from '../dialogs/turn';

type Credentials = ConstructorParameters<typeof ConnectorClient>[0];
type Request = Parameters<Credentials['signRequest']>[0];


/**
 * Authentication between the bot and Sésame's own Direct Line channel, both in this process, in
 * development as in production. Both directions carry a per-process key, whatever the source
 * address (behind a reverse proxy every caller is loopback):
 *  - the channel posts to /api/messages with it; such a request must name our own loopback
 *    serviceUrl, and is the only way to speak on the `directline` channel without a Bot Framework
 *    token (so an anonymous caller cannot act in a conversation whose id it learnt);
 *  - the bot's replies to that serviceUrl carry it, and the connector routes refuse anything else.
 * Everything else is delegated to the configured Bot Framework authentication, unchanged.
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

  /** Whether a request carries this process's key (constant time). */
  isLocal(authorization: string | undefined): boolean {
    const given = Buffer.from(authorization ?? '');
    const expected = Buffer.from(this.authorizationHeader);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    if (this.isLocal(authHeader)) {
      if (activity.serviceUrl !== this.localServiceUrl()) throw unauthorized('the local channel speaks only with its own service URL');
      const identity = new ClaimsIdentity([{ type: LOCAL_CHANNEL_CLAIM, value: 'true' }], AuthenticationConstants.AnonymousAuthType);
      return { audience: AuthenticationConstants.ToChannelFromBotOAuthScope, claimsIdentity: identity, callerId: undefined, connectorFactory: this.createConnectorFactory(identity) };
    }
    const result = await this.inner.authenticateRequest(activity, authHeader);
    // Without credentials (development) the inner authentication lets anyone in: not on our channel's conversations.
    if (activity.channelId === 'directline' && !result.claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim)) throw unauthorized('the directline channel needs its key or a Bot Framework token');
    return { ...result, connectorFactory: this.createConnectorFactory(result.claimsIdentity) };
  }

  override authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
  }

  /**
   * Connector clients are kept and reused (a client builds an HTTP pipeline: a tenth of a turn's
   * work when made for every turn), by who the bot is for the caller, the channel's address and the
   * audience; each keeps its own credentials, which renew their tokens.
   */
  private readonly clients = new Map<string, ConnectorClient>();

  private reused(key: string, make: () => Promise<ConnectorClient>): Promise<ConnectorClient> {
    const known = this.clients.get(key);
    if (known) return Promise.resolve(known);
    return make().then((client) => {
      if (this.clients.size >= 200) this.clients.clear();
      this.clients.set(key, client);
      return client;
    });
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const inner = this.inner.createConnectorFactory(claimsIdentity);
    const local = this.localServiceUrl;
    const credentials = new LocalChannelCredentials(this.authorizationHeader);
    const who = callerKey(claimsIdentity);
    const reused = this.reused.bind(this);
    return new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        if (serviceUrl === local()) return reused(`local|${serviceUrl}`, async () => new ConnectorClient(credentials, { baseUri: serviceUrl }));
        return reused(`${who}|${serviceUrl}|${audience ?? ''}`, () => inner.create(serviceUrl, audience));
      }
    })();
  }

  /**
   * Sésame uses no Bot Framework OAuth connection. A turn of the local channel has no Azure
   * identity to make a user-token client from (botbuilder would fail every turn with "Invalid
   * appId" once credentials are set): it gets one that says so if ever called.
   */
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    if (claimsIdentity.getClaimValue(LOCAL_CHANNEL_CLAIM) === 'true') return Promise.resolve(new NoUserTokenClient());
    // One per caller, reused (botbuilder makes one for every turn).
    const key = callerKey(claimsIdentity);
    const known = this.tokenClients.get(key);
    if (known) return known;
    const made = this.inner.createUserTokenClient(claimsIdentity);
    if (this.tokenClients.size >= 200) this.tokenClients.clear();
    this.tokenClients.set(key, made);
    made.catch(() => this.tokenClients.delete(key));
    return made;
  }

  private readonly tokenClients = new Map<string, Promise<UserTokenClient>>();

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }
}

/** Who the bot is for this caller: what its connector and token clients depend on. */
function callerKey(identity: ClaimsIdentity): string {
  return [identity.getClaimValue(AuthenticationConstants.AudienceClaim), JwtTokenValidation.getAppIdFromClaims(identity.claims), identity.getClaimValue(LOCAL_CHANNEL_CLAIM)].join('|');
}

/** Signs the bot's calls to the local channel's connector routes with the process key. */
class LocalChannelCredentials implements Credentials {
  constructor(private readonly authorization: string) {}

  async signRequest(request: Request): Promise<Request> {
    request.headers.set('authorization', this.authorization);
    return request;
  }
}

class NoUserTokenClient extends UserTokenClient {
  private refuse(): never {
    throw new Error('Sésame uses no Bot Framework OAuth connection on its local channel.');
  }
  getUserToken(): never {
    return this.refuse();
  }
  getSignInResource(): never {
    return this.refuse();
  }
  signOutUser(): never {
    return this.refuse();
  }
  getTokenStatus(): never {
    return this.refuse();
  }
  getAadTokens(): never {
    return this.refuse();
  }
  exchangeToken(): never {
    return this.refuse();
  }
}

function unauthorized(why: string): Error {
  return new AuthenticationError(`Unauthorized: ${why}.`, StatusCodes.UNAUTHORIZED);
}
