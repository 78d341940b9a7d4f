import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ROLES, type Role } from '@quarterly/domain';
import { Roles } from '@quarterly/platform';
import { listPeople } from '@quarterly/read-models';
import { IsIn, IsOptional, IsString } from 'class-validator';
import type { Response } from 'express';
import { ConsistencyQueryDto } from '../shared/query.dto';
import { ReadModelsGateway } from '../shared/read-models.gateway';

class ListPeopleQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional() @IsOptional() @IsString()
  directorate?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Include deactivated people.' }) @IsOptional() @IsIn(['true', 'false'])
  includeInactive?: 'true' | 'false';
}

@ApiTags('People')
@ApiBearerAuth()
@Controller('people')
export class PeopleQueriesController {
  constructor(private readonly readModels: ReadModelsGateway) {}

  @Get()
  @Roles('performance-team', 'auditor')
  @ApiOperation({ summary: 'The directory of people and their roles' })
  async list(@Query() query: ListPeopleQueryDto, @Res({ passthrough: true }) response: Response) {
    const db = await this.readModels.db(query.after, response);
    return listPeople(db, {
      includeInactive: query.includeInactive === 'true',
      ...(query.role ? { role: query.role } : {}),
      ...(query.directorate !== undefined ? { directorate: query.directorate } : {}),
    });
  }
}
