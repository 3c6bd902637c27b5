import fs from 'node:fs';
import { z } from 'zod';
import { SPECIALTY_CODES, type SpecialtyCode } from './specialties';

const directorySchema = z.object({
  version: z.number(),
  note: z.string().optional(),
  bodies: z.array(
    z.object({
      id: z.string().regex(/^[a-z][a-z0-9-]*$/),
      name: z.string().min(1),
      specialties: z.array(z.enum(SPECIALTY_CODES)).min(1),
      targetedThemes: z.array(z.string().regex(/^\w+$/)).default([]),
    }),
  ),
});

export interface ApprovedBody {
  id: string;
  /** Undefined when no OA is confirmed for the specialty: say "l'OA de votre spécialité". */
  name: string | undefined;
  targetedThemes: string[];
}

/** Which approved body (OA) receives the requests of a specialty. */
export class OaDirectory {
  private readonly bodies: z.infer<typeof directorySchema>['bodies'];

  constructor(json: unknown) {
    this.bodies = directorySchema.parse(json).bodies;
  }

  static load(file: string): OaDirectory {
    return new OaDirectory(JSON.parse(fs.readFileSync(file, 'utf8')));
  }

  forSpecialty(specialty: SpecialtyCode): ApprovedBody {
    const body = this.bodies.find((b) => b.specialties.includes(specialty));
    return body ? { id: body.id, name: body.name, targetedThemes: body.targetedThemes } : { id: `oa-${specialty}`, name: undefined, targetedThemes: [] };
  }

  byId(id: string): ApprovedBody {
    const body = this.bodies.find((b) => b.id === id);
    if (body) return { id: body.id, name: body.name, targetedThemes: body.targetedThemes };
    return { id, name: undefined, targetedThemes: [] };
  }

  /** Every OA id an expert may be attached to (confirmed ones and one per specialty without). */
  ids(): string[] {
    const covered = new Set(this.bodies.flatMap((b) => b.specialties));
    return [...this.bodies.map((b) => b.id), ...SPECIALTY_CODES.filter((s) => !covered.has(s)).map((s) => `oa-${s}`)];
  }
}
