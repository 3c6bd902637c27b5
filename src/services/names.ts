/**
 * A person's name as registries write them: letters of any script (Łukasiewicz, Şahin, Nguyễn, 王),
 * with spaces, hyphens, apostrophes and dots between them. Nothing that markdown or HTML could read
 * as markup (a name is shown in other people's chats: an expert's desk, the service centre's).
 */
export const PERSON_NAME = /^[\p{L}\p{M}](?:[\p{L}\p{M}'’. -]*[\p{L}\p{M}.])?$/u;
