import type { OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import type { FileUpload } from 'graphql-upload/Upload.mjs';
import {
  ConnectionArgs,
  NodeRegistry,
  RateLimit,
  connectionFromRows,
  localIdOf,
  type Connection,
} from '@boardroom/core';
import {
  Authenticated,
  Client,
  CurrentUser,
  UserDto,
  UsersService,
  type ClientInfo,
  type Viewer,
} from '@boardroom/accounts';
import { BrandDto, BrandsService } from '@boardroom/brands';
import { PhotoConnection, PhotoDto } from './dto/photo.dto.js';
import { PhotoLoaders } from './loaders.js';
import type { ListedPhoto } from './photos.repository.js';
import { PhotosService } from './photos.service.js';
import { PhotoUploadService } from './uploads/photo-upload.service.js';

/** A page of photos as a Relay connection; the cursor is the sort timestamp's exact text and the id. */
export function photoConnection(rows: ListedPhoto[], args: ConnectionArgs): Connection<PhotoDto> {
  return connectionFromRows(
    rows,
    args,
    (row) => [row.sortKey, row.id],
    (row) => PhotoDto.from(row),
  );
}

@Resolver(() => PhotoDto)
export class PhotosResolver implements OnModuleInit {
  constructor(
    private readonly photos: PhotosService,
    private readonly uploads: PhotoUploadService,
    private readonly loaders: PhotoLoaders,
    private readonly users: UsersService,
    private readonly brands: BrandsService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Photo', PhotoDto, async (id, context) => {
      const photo = await this.photos.findVisible((context.user as Viewer | null) ?? null, id);
      return photo ? PhotoDto.from(photo) : null;
    });
  }

  @Query(() => PhotoDto, {
    nullable: true,
    description: 'Published photos are public; one still processing or rejected only to its owner.',
  })
  async photo(
    @Args('id', { type: () => ID }) id: string,
    @CurrentUser() viewer: Viewer | null,
  ): Promise<PhotoDto | null> {
    const photo = await this.photos.findVisible(viewer, localIdOf('Photo', id));
    return photo ? PhotoDto.from(photo) : null;
  }

  @Query(() => PhotoConnection, {
    description:
      'Published photos of the users the caller follows and of the brands the caller has published photos of, newest first.',
  })
  @Authenticated()
  async feed(@Args() args: ConnectionArgs, @CurrentUser() viewer: Viewer): Promise<Connection<PhotoDto>> {
    return photoConnection(await this.photos.feed(viewer, args.first, args.after), args);
  }

  @Mutation(() => PhotoDto, {
    description:
      'A GraphQL multipart request (send "apollo-require-preflight: true"). Returns the photo PROCESSING at once; ' +
      'it becomes PUBLISHED or REJECTED (with rejectionReason) shortly after. The same idempotencyKey returns the first photo.',
  })
  @Authenticated()
  @RateLimit('uploads')
  async uploadPhoto(
    @Args('brandSlug') brandSlug: string,
    @Args({ name: 'file', type: () => GraphQLUpload }) file: Promise<FileUpload>,
    @Args('caption', { type: () => String, nullable: true }) caption: string | null | undefined,
    @Args('idempotencyKey', { type: () => String, nullable: true }) idempotencyKey: string | null | undefined,
    @CurrentUser() viewer: Viewer,
    @Client() client: ClientInfo,
  ): Promise<PhotoDto> {
    return PhotoDto.from(await this.uploads.upload(viewer, { brandSlug, file, caption, idempotencyKey }, client));
  }

  @Mutation(() => Boolean, { description: 'The owner only; its shares are reversed.' })
  @Authenticated()
  async deletePhoto(
    @Args('id', { type: () => ID }) id: string,
    @CurrentUser() viewer: Viewer,
    @Client() client: ClientInfo,
  ): Promise<boolean> {
    await this.photos.delete(viewer, localIdOf('Photo', id), client);
    return true;
  }

  @ResolveField(() => UserDto)
  async owner(@Parent() photo: PhotoDto, @Context() context: object): Promise<UserDto> {
    return UserDto.from((await this.users.loadById(context, photo.record.ownerId))!);
  }

  @ResolveField(() => BrandDto)
  async brand(@Parent() photo: PhotoDto, @Context() context: object): Promise<BrandDto> {
    return BrandDto.from((await this.brands.loadById(context, photo.record.brandId))!);
  }

  @ResolveField(() => String, {
    nullable: true,
    description: 'The display rendition (WebP, at most 1600 px); null until PUBLISHED. Expires.',
  })
  async url(@Parent() photo: PhotoDto): Promise<string | null> {
    return this.photos.renditionUrl(photo.record, 'display');
  }

  @ResolveField(() => String, {
    nullable: true,
    description: 'The thumbnail (WebP, at most 320 px); null until PUBLISHED. Expires.',
  })
  async thumbnailUrl(@Parent() photo: PhotoDto): Promise<string | null> {
    return this.photos.renditionUrl(photo.record, 'thumbnail');
  }

  @ResolveField(() => PhotoDto, { nullable: true, description: 'An earlier near-identical photo in the brand.' })
  async duplicateOf(
    @Parent() photo: PhotoDto,
    @CurrentUser() viewer: Viewer | null,
    @Context() context: object,
  ): Promise<PhotoDto | null> {
    if (!photo.record.duplicateOf) return null;
    const original = await this.loaders.photo(context, photo.record.duplicateOf);
    return original && this.photos.canSee(viewer, original) ? PhotoDto.from(original) : null;
  }
}

@Resolver(() => BrandDto)
export class BrandPhotosResolver {
  constructor(private readonly photosService: PhotosService) {}

  @ResolveField(() => PhotoConnection, { description: 'Published photos, newest first.' })
  async photos(@Parent() brand: BrandDto, @Args() args: ConnectionArgs): Promise<Connection<PhotoDto>> {
    return photoConnection(await this.photosService.listByBrand(brand.record.id, args.first, args.after), args);
  }
}

@Resolver(() => UserDto)
export class UserPhotosResolver {
  constructor(private readonly photosService: PhotosService) {}

  @ResolveField(() => PhotoConnection, {
    description: 'Newest upload first: the published ones, and for the user themself every state.',
  })
  async photos(
    @Parent() user: UserDto,
    @Args() args: ConnectionArgs,
    @CurrentUser() viewer: Viewer | null,
  ): Promise<Connection<PhotoDto>> {
    return photoConnection(await this.photosService.listByOwner(viewer, user.record.id, args.first, args.after), args);
  }
}
